using SampleApp.Imaging;
using SampleApp.WordImages;
using SkiaSharp;

// Usage: WordImages <font folder> <output folder>
// Writes <output>/calibration/*.png and <output>/evaluation/*.png, 320x48 each, and <output>/evaluation/labels.csv
// (file,text): the text each evaluation image shows, so the build scores the recognizer's character accuracy.
// Most words look photographed (PhotographedWordRenderer: signs, labels, shop fronts seen by a camera), some are
// clean black-on-white scans; the words are signage, receipt and number-like texts in mixed case. The two sets
// share no text and draw from their own seeds, so the evaluation is not scored on what calibration saw and every
// build renders the same images.

if (args.Length != 2)
{
    Console.Error.WriteLine("WordImages: error SAMPLE004: expected two arguments, <font folder> <output folder>; found " + args.Length + ".");
    return 2;
}
var (fontFolder, outputFolder) = (args[0], args[1]);

const int CalibrationImages = 160, EvaluationImages = 96;
const int InputHeight = 48, InputWidth = 320;
const double CleanShare = 0.2;

string[] calibrationWords =
[
    "Total", "Subtotal", "Cash", "Change", "Bread", "Thank you", "Parking", "Station", "Market", "Bakery", "Pharmacy",
    "Museum", "Garden", "Theatre", "Airport", "Ticket", "Entrance", "Welcome", "Exit", "Open", "Closed", "Street",
    "Avenue", "Bar", "Cafe", "Hostel", "Fashion", "Sport", "Travel", "Gallery", "Sushi", "Noodle", "Burger", "Wine",
    "Beer", "Books", "Music", "Shoes", "Jewelry", "Optical", "Dental", "Clinic", "Salon", "Laundry", "Motors", "Tires",
    "Express", "Delivery", "Special", "Offer", "Discount", "Free", "Limited", "Quality", "Service", "Center", "City",
    "World", "Star", "Royal", "Golden", "Sunset", "Ocean", "Palace", "Tower", "Plaza", "Lounge", "Kitchen", "Grill",
    "Menu", "Daily", "Fresh", "Organic", "Natural", "Beauty", "Mobile", "Phone", "Bank", "Money", "Gold", "Silver",
];
string[] evaluationWords =
[
    "Invoice", "Amount", "Date", "Card", "Tax", "Coffee", "Apples", "Store", "Paid", "Office", "Police", "School",
    "Library", "Bridge", "Harbour", "Central", "Cinema", "Pizza", "Taxi", "North", "River", "Square", "House", "Toilet",
    "Hospital", "Post", "Metro", "Casino", "Resort", "Inn", "Spa", "Flowers", "Bikes", "Toys", "Games", "Watches",
];
string[] cleanFonts = ["DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf"];
string[] photoFonts =
[
    .. cleanFonts, "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf", "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSansMono-Bold.ttf",
];

var cleanRenderers = cleanFonts.Select(font => new WordRenderer(File.ReadAllBytes(Path.Combine(fontFolder, font)))).ToArray();
var typefaces = photoFonts.Select(font => SKTypeface.FromFile(Path.Combine(fontFolder, font))
    ?? throw new InvalidDataException($"{Path.Combine(fontFolder, font)}: expected a TrueType font SkiaSharp can read.")).ToArray();
var photographed = new PhotographedWordRenderer(typefaces);
try
{
    var calibrationTexts = Write("calibration", calibrationWords, CalibrationImages, seed: 1, exclude: []);
    var evaluationTexts = Write("evaluation", evaluationWords, EvaluationImages, seed: 2, exclude: calibrationTexts.ToHashSet());
    WriteAtomically(Path.Combine(outputFolder, "evaluation", "labels.csv"),
        System.Text.Encoding.UTF8.GetBytes(string.Concat(evaluationTexts.Select((text, i) => $"{ImageName(i)},{text}\n"))));
}
finally
{
    foreach (var renderer in cleanRenderers)
        renderer.Dispose();
    foreach (var typeface in typefaces)
        typeface.Dispose();
}
return 0;

List<string> Write(string set, string[] words, int count, int seed, HashSet<string> exclude)
{
    var folder = Path.Combine(outputFolder, set);
    Directory.CreateDirectory(folder);
    // A change of count must not leave images of an earlier run behind: ModelBuild reads every *.png here.
    foreach (var stale in Directory.GetFiles(folder, "*.png"))
        File.Delete(stale);

    var random = new Random(seed);
    var texts = new List<string>();
    while (texts.Count < count)
    {
        var text = Text(words, random);
        if (exclude.Contains(text))
            continue;
        using var word = random.NextDouble() < CleanShare
            ? cleanRenderers[random.Next(cleanRenderers.Length)].Render(text, random.Next(26, 40))
            : photographed.Render(text, () => Text(words, random), random);
        // A word wider than the model's 320-pixel input would be read at another width than calibrated: take another.
        if (ScaledWidth(word) > InputWidth)
            continue;
        using var input = AsRecognizerInput(word);
        using var png = input.Encode(SKEncodedImageFormat.Png, 100);
        WriteAtomically(Path.Combine(folder, ImageName(texts.Count)), png.ToArray());
        texts.Add(text);
    }
    return texts;
}

// A word in upper, title or lower case, or a number as shops and receipts print them.
static string Text(string[] words, Random random)
{
    var kind = random.NextDouble();
    if (kind < 0.25)
    {
        return random.Next(5) switch
        {
            0 => $"{random.Next(1, 100)}.{random.Next(100):D2}",
            1 => $"{random.Next(1, 29):D2}/{random.Next(1, 13):D2}/{random.Next(1990, 2030)}",
            2 => $"{random.Next(24):D2}:{random.Next(60):D2}",
            3 => $"{random.Next(100, 1000)}-{random.Next(1000, 10000)}",
            _ => $"#{random.Next(1, 10000)}",
        };
    }
    var word = words[random.Next(words.Length)];
    return kind switch
    {
        < 0.55 => word.ToUpperInvariant(),
        < 0.8 => word,
        _ => word.ToLowerInvariant(),
    };
}

static string ImageName(int index) => $"{index:D3}.png";

// Written beside the target and moved, so an interrupted run never leaves half a file.
static void WriteAtomically(string path, byte[] bytes)
{
    var temporary = path + ".tmp";
    File.WriteAllBytes(temporary, bytes);
    File.Move(temporary, path, overwrite: true);
}

static int ScaledWidth(SKBitmap word) => (int)MathF.Ceiling(word.Width * (float)InputHeight / word.Height);

// The geometry the app feeds the recognizer (Imaging/RecognizerPreprocessing.cs): height 48 keeping the aspect
// ratio, padded on the right to 320 with mid-gray, which normalizes to about 0 as PaddleOCR's padding does.
// Calibrating on stretched words instead leaves the padding's activations out of range: the model then reads
// the padding as trailing spaces.
static SKBitmap AsRecognizerInput(SKBitmap word)
{
    var input = new SKBitmap(InputWidth, InputHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
    using var canvas = new SKCanvas(input);
    canvas.Clear(new SKColor(128, 128, 128));
    using var source = SKImage.FromBitmap(word);
    canvas.DrawImage(source, new SKRect(0, 0, ScaledWidth(word), InputHeight), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    return input;
}
