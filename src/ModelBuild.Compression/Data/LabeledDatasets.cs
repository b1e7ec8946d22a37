namespace ModelBuild.Compression.Data;

/// <summary>Turns labeled files on disk into preprocessed model inputs.</summary>
public static class LabeledDatasets
{
    /// <summary>An IDX image file with its IDX label file (MNIST layout).</summary>
    public static IReadOnlyList<LabeledTensor> FromIdx(string imagesPath, string labelsPath, Preprocessing preprocessing)
    {
        var images = IdxReader.Read(imagesPath).ToImages();
        var labels = IdxReader.Read(labelsPath).ToLabels();
        if (images.Count != labels.Length)
            throw new DataFileException(labelsPath, "the label count does not match the images",
                $"{images.Count} labels (as in {imagesPath})", $"{labels.Length}");
        return images.Select((image, i) => new LabeledTensor(preprocessing.Apply(image), labels[i])).ToList();
    }

    public static IReadOnlyList<LabeledTensor> FromImages(LabeledImageFolder folder, Preprocessing preprocessing) =>
        folder.Files.Select(file => new LabeledTensor(preprocessing.Load(file.Path), file.Label)).ToList();

    /// <summary>Text-line images listed in a label file (<see cref="TextRecognitionLabels"/>).</summary>
    public static IReadOnlyList<TextSample> FromTextLabels(string labelsPath, Preprocessing preprocessing) =>
        TextRecognitionLabels.ReadMmocrJson(labelsPath)
            .Select(entry => new TextSample(preprocessing.Load(entry.ImagePath), entry.Text)).ToList();
}
