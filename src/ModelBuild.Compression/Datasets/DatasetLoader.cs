using ModelBuild.Compression.Data;
using ModelBuild.Contracts.Diagnostics;

namespace ModelBuild.Compression.Datasets;

/// <summary>
/// Loads calibration or evaluation data from a spec string, as the build passes it: one or more items separated by
/// <c>;</c>, each one of
/// <list type="bullet">
/// <item>a folder with one sub-folder per class (labels: the sub-folders in ordinal order), or with a
/// <c>labels.csv</c> (<c>file,label</c>), or else just images (no labels);</item>
/// <item>a <c>file,label</c> <c>.csv</c> file;</item>
/// <item>for a CTC text recognizer (first output declared [N, T, C]): texts instead of class labels, from a
/// <c>file,text</c> CSV, an mmocr <c>labels.json</c>, or a folder holding either as <c>labels.json</c> /
/// <c>labels.csv</c>;</item>
/// <item>a file-name pattern with <c>*</c> or <c>?</c> in its last segment (<c>data/*.png</c>): images, no labels;</item>
/// <item>an IDX file (MNIST format, plain or gzip): rank 3 is images, rank 1 their labels;</item>
/// <item>a <c>.npy</c> array: [N, ...] inputs, or rank 1 integer labels;</item>
/// <item>a single image file (PNG, JPEG, BMP).</item>
/// </list>
/// Labels, when any item has them, must cover every input and lie within the model's classes.
/// </summary>
public static class DatasetLoader
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    /// <summary>Reads the data; <paramref name="limit"/> keeps only the first inputs, in the order the items list them.</summary>
    public static Dataset Load(string spec, ModelInputLayout layout, DatasetPreprocessing preprocessing, int? limit = null)
    {
        var inputs = new List<ImageTensor>();
        var sources = new List<string>();
        var labels = new List<int>();
        var texts = new List<string>();
        string? labelSource = null, textSource = null;
        foreach (var (source, input, label, text) in Entries(spec, layout, preprocessing, limit))
        {
            if (input is not null)
            {
                inputs.Add(input);
                sources.Add(source);
            }
            if (label is { } value)
            {
                labels.Add(value);
                labelSource ??= source;
            }
            if (text is not null)
            {
                texts.Add(text);
                textSource ??= source;
            }
        }
        if (inputs.Count == 0)
            throw NothingFound(spec);
        if (textSource is not null)
            return WithTexts(inputs, sources, texts, textSource, labelSource, layout);
        if (labelSource is null)
            return new Dataset(inputs, sources, null);
        if (layout.IsTextRecognizer)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, labelSource,
                "class labels, but the model's first output is [N, T, C], a CTC text recognizer's: expected text labels (a file,text CSV, a folder with a labels.csv or labels.json, or an mmocr labels.json), found class labels");
        // Label files beyond the limit: only the labels of the kept inputs count.
        if (labels.Count > inputs.Count && limit is not null)
            labels.RemoveRange(inputs.Count, labels.Count - inputs.Count);
        if (labels.Count != inputs.Count)
            throw new DataFileException(labelSource, "the labels do not match the inputs", $"{inputs.Count} labels, one per input", $"{labels.Count}");
        return new Dataset(inputs, sources, labels);
    }

    private static Dataset WithTexts(List<ImageTensor> inputs, List<string> sources, List<string> texts, string textSource, string? labelSource, ModelInputLayout layout)
    {
        if (!layout.IsTextRecognizer)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, textSource,
                "text labels, but the model's first output is not [N, T, C]: expected class labels for a classifier, found text labels. Text labels are for CTC text recognizers, whose first output has rank 3");
        if (labelSource is not null)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, labelSource,
                $"class labels beside the text labels of {textSource}: expected text labels only for a CTC text recognizer, found class labels too");
        // Text labels come with their images, so an unlabeled image beside them is the one way to fall short.
        if (texts.Count != inputs.Count)
            throw new DataFileException(textSource, "the labels do not match the inputs", $"{inputs.Count} text labels, one per input", $"{texts.Count}");
        return new Dataset(inputs, sources, null) { Texts = texts };
    }

    /// <summary>
    /// The inputs only (labels are ignored), read lazily one at a time each time the sequence is enumerated: what
    /// calibration needs, with memory that does not grow with the number of images.
    /// </summary>
    public static IEnumerable<ImageTensor> StreamInputs(string spec, ModelInputLayout layout, DatasetPreprocessing preprocessing, int? limit = null)
    {
        var any = false;
        foreach (var (_, input, _, _) in Entries(spec, layout, preprocessing, limit))
        {
            if (input is null) continue;
            any = true;
            yield return input;
        }
        if (!any)
            throw NothingFound(spec);
    }

    private static CompressionException NothingFound(string spec) => new(DiagnosticCodes.DataNotFound, spec,
        "the data matches no input: expected images (folder, pattern, CSV), IDX images or a .npy array, found none");

    private static IEnumerable<(string Source, ImageTensor? Input, int? Label, string? Text)> Entries(string spec, ModelInputLayout layout, DatasetPreprocessing preprocessing, int? limit)
    {
        var count = 0;
        foreach (var item in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var remaining = limit is { } max ? Math.Max(0, max - count) : int.MaxValue;
            foreach (var (source, image, label, text) in ReadItem(item, layout, preprocessing, remaining))
            {
                if (label is { } value)
                    CheckLabel(value, source, layout);
                if (image is not null)
                {
                    if (count >= (limit ?? int.MaxValue)) continue;
                    count++;
                }
                yield return (source, image is null ? null : Fit(image, source, layout, preprocessing.ChannelsLast), label, text);
            }
        }
    }

    // One entry per input and/or label: an image tensor, a class label or a text, or an image with its label.
    private static IEnumerable<(string Source, ImageTensor? Input, int? Label, string? Text)> ReadItem(string item, ModelInputLayout layout, DatasetPreprocessing preprocessing, int remaining)
    {
        if (item.IndexOfAny(['*', '?']) >= 0)
            return Unlabeled(Pattern(item), preprocessing, remaining);
        if (Directory.Exists(item))
            return Folder(item, layout, preprocessing, remaining);
        if (!File.Exists(item))
            throw new CompressionException(DiagnosticCodes.DataNotFound, item,
                "the data path matches nothing: expected a folder, a file (image, IDX, .npy, .csv) or a pattern such as images/*.png, found no such file or folder");
        var extension = Path.GetExtension(item);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
            return Texts(TextRecognitionLabels.ReadMmocrJson(item), preprocessing, remaining);
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            return layout.IsTextRecognizer ? Texts(TextRecognitionLabels.ReadCsv(item), preprocessing, remaining) : Labeled(LabeledImageFolder.FromCsv(item), preprocessing, remaining);
        if (extension.Equals(".npy", StringComparison.OrdinalIgnoreCase))
            return Npy(item, remaining);
        if (ImageExtensions.Contains(extension))
            return [(item, Load(item, preprocessing), null, null)];
        return Idx(item, preprocessing, remaining);
    }

    private static IEnumerable<string> Pattern(string pattern)
    {
        var folder = Path.GetDirectoryName(pattern) is { Length: > 0 } directory ? directory : ".";
        if (folder.IndexOfAny(['*', '?']) >= 0)
            throw new CompressionException(DiagnosticCodes.MalformedOption, pattern,
                "wildcards are allowed in the file name only: expected a pattern such as images/*.png, found one in the folder part", isCommandLineProblem: true);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, Path.GetFileName(pattern)).Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
            throw new CompressionException(DiagnosticCodes.DataNotFound, pattern,
                $"the pattern matches no file: expected at least one image in {Path.GetFullPath(folder)}, found none");
        return files;
    }

    private static IEnumerable<(string, ImageTensor?, int?, string?)> Folder(string folder, ModelInputLayout layout, DatasetPreprocessing preprocessing, int remaining)
    {
        var csv = Path.Combine(folder, "labels.csv");
        var json = Path.Combine(folder, "labels.json");
        // A text recognizer's folder holds texts: labels.json (mmocr) or labels.csv (file,text).
        if (layout.IsTextRecognizer && File.Exists(json))
            return Texts(TextRecognitionLabels.ReadMmocrJson(json), preprocessing, remaining);
        if (layout.IsTextRecognizer && File.Exists(csv))
            return Texts(TextRecognitionLabels.ReadCsv(csv), preprocessing, remaining);
        if (Directory.GetDirectories(folder).Length > 0)
            return Labeled(LabeledImageFolder.FromSubfolders(folder), preprocessing, remaining);
        if (File.Exists(csv))
            return Labeled(LabeledImageFolder.FromCsv(csv), preprocessing, remaining);
        var images = Directory.GetFiles(folder).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
        if (images.Count == 0)
            throw new CompressionException(DiagnosticCodes.DataNotFound, folder,
                "the folder holds no data: expected images (.png, .jpg, .jpeg, .bmp), class sub-folders or a labels.csv, found none");
        return Unlabeled(images, preprocessing, remaining);
    }

    private static IEnumerable<(string, ImageTensor?, int?, string?)> Unlabeled(IEnumerable<string> images, DatasetPreprocessing preprocessing, int remaining) =>
        images.Take(remaining).Select(file => (file, (ImageTensor?)Load(file, preprocessing), (int?)null, (string?)null));

    private static IEnumerable<(string, ImageTensor?, int?, string?)> Texts(IReadOnlyList<(string ImagePath, string Text)> entries, DatasetPreprocessing preprocessing, int remaining) =>
        entries.Take(remaining).Select(entry => (entry.ImagePath, (ImageTensor?)Load(entry.ImagePath, preprocessing), (int?)null, (string?)entry.Text));

    private static IEnumerable<(string, ImageTensor?, int?, string?)> Labeled(LabeledImageFolder folder, DatasetPreprocessing preprocessing, int remaining)
    {
        if (folder.Files.Count == 0)
            throw new CompressionException(DiagnosticCodes.DataNotFound, folder.ClassNames.FirstOrDefault() ?? "",
                "the class folders hold no images: expected .png, .jpg, .jpeg or .bmp files, found none");
        return RoundRobin(folder.Files, remaining).Select(file => (file.Path, (ImageTensor?)Load(file.Path, preprocessing), (int?)file.Label, (string?)null));
    }

    // A limited subset of class folders takes the classes in turn (the first file of each, then the second...), so
    // "the first 500" of a set sorted by class is not the first few classes only. Unlimited, the order is unchanged.
    private static IEnumerable<LabeledFile> RoundRobin(IReadOnlyList<LabeledFile> files, int remaining)
    {
        if (remaining >= files.Count)
            return files;
        var byClass = files.GroupBy(f => f.Label).Select(g => g.ToList()).ToList();
        var longest = byClass.Max(g => g.Count);
        return Enumerable.Range(0, longest)
            .SelectMany(rank => byClass.Where(g => rank < g.Count).Select(g => g[rank]))
            .Take(remaining);
    }

    private static IEnumerable<(string, ImageTensor?, int?, string?)> Npy(string path, int remaining)
    {
        var array = NpyReader.Read(path);
        if (array.Shape.Count == 1)
            return array.ToFloat32().Select(value => (path, (ImageTensor?)null, (int?)(int)value, (string?)null));
        return array.ToSamples().Take(remaining).Select((sample, i) => ($"{path}[{i}]", (ImageTensor?)sample, (int?)null, (string?)null));
    }

    private static IEnumerable<(string, ImageTensor?, int?, string?)> Idx(string path, DatasetPreprocessing preprocessing, int remaining)
    {
        var array = IdxReader.Read(path);
        if (array.Dimensions.Count == 1)
            return array.ToLabels().Select(label => (path, (ImageTensor?)null, (int?)label, (string?)null));
        if (preprocessing.Image.Color != ImageColor.Grey)
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, path,
                $"IDX images are grey (1 channel), but the model's input takes {preprocessing.Image.Color} (3 channels). Use channels=grey only with a 1-channel model");
        return array.ToImages().Take(remaining).Select((image, i) => ($"{path}[{i}]", (ImageTensor?)Preprocess($"{path}[{i}]", () => preprocessing.Image.Apply(image), preprocessing.ChannelsLast), (int?)null, (string?)null));
    }

    private static ImageTensor Load(string path, DatasetPreprocessing preprocessing) =>
        Preprocess(path, () => preprocessing.Image.Load(path), preprocessing.ChannelsLast);

    // Preprocessing refuses images it cannot shape (a crop larger than the image): that is this file not fitting.
    private static ImageTensor Preprocess(string source, Func<ImageTensor> preprocess, bool channelsLast)
    {
        try
        {
            return ToChannelsLast(preprocess(), channelsLast);
        }
        catch (ArgumentException e)
        {
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, source,
                $"the image cannot be preprocessed for the model: {e.Message.TrimEnd('.')}. Adjust resize and crop in the preprocessing");
        }
    }

    private static ImageTensor ToChannelsLast(ImageTensor tensor, bool channelsLast)
    {
        if (!channelsLast) return tensor;
        int channels = (int)tensor.Shape[1], height = (int)tensor.Shape[2], width = (int)tensor.Shape[3];
        var values = new float[tensor.Values.Length];
        for (var c = 0; c < channels; c++)
        {
            for (var p = 0; p < height * width; p++)
                values[(p * channels) + c] = tensor.Values[(c * height * width) + p];
        }
        return new ImageTensor(values, [1, height, width, channels]);
    }

    // The model's declared shape against what preprocessing made, so a wrong size fails here, naming the file.
    private static ImageTensor Fit(ImageTensor input, string source, ModelInputLayout layout, bool channelsLast)
    {
        if (layout.Channels is null && layout.Height is null && layout.Width is null)
            return input;
        var shape = input.Shape;
        var (channels, height, width) = shape.Length != 4 ? (-1L, -1L, -1L)
            : channelsLast ? (shape[3], shape[1], shape[2]) : (shape[1], shape[2], shape[3]);
        if (Mismatch(layout.Channels, channels) || Mismatch(layout.Height, height) || Mismatch(layout.Width, width))
            throw new CompressionException(DiagnosticCodes.DataDoesNotFitModel, source,
                $"the input does not fit the model's input '{layout.InputName}': expected {layout.Describe()}, found shape [{string.Join(", ", shape)}]. Set resize=WxH (and crop) in the preprocessing, or give data of the model's size");
        return input;
    }

    private static bool Mismatch(int? expected, long found) => expected is { } value && value != found;

    private static void CheckLabel(int label, string source, ModelInputLayout layout)
    {
        if (label < 0 || (layout.ClassCount is { } classes && label >= classes))
            throw new CompressionException(DiagnosticCodes.LabelOutOfRange, source,
                $"label {label} is outside the model's classes: expected 0 to {(layout.ClassCount ?? 1) - 1} (the last dimension of its first output), found {label}");
    }
}
