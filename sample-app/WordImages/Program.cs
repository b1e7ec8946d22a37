using SampleApp.Imaging;
using SkiaSharp;

// Usage: WordImages <font folder> <output folder>
// Writes <output>/calibration/*.png and <output>/evaluation/*.png, 320x48 each: receipt-like words in the three DejaVu fonts at
// several sizes, and <output>/evaluation/labels.csv (file,text): the text each evaluation image shows, so the build
// scores the recognizer's character accuracy. The two sets share no word, so the evaluation is not scored on what
// calibration saw.

if (args.Length != 2)
{
    Console.Error.WriteLine("WordImages: error SAMPLE004: expected two arguments, <font folder> <output folder>; found " + args.Length + ".");
    return 2;
}
var (fontFolder, outputFolder) = (args[0], args[1]);

string[] calibrationWords = ["TOTAL", "Subtotal", "12.99", "VAT 21%", "Cash", "Change", "Qty", "Milk 1L", "Bread", "08:45", "Thank you", "#0042"];
string[] evaluationWords = ["Invoice", "Amount", "45.10", "Date", "Card", "EUR", "Tax", "Coffee", "Apples", "17:30", "Store 12", "Paid"];
(string File, float Size)[] fonts = [("DejaVuSans.ttf", 36), ("DejaVuSerif.ttf", 30), ("DejaVuSansMono.ttf", 26)];

var renderers = fonts.Select(font => new WordRenderer(File.ReadAllBytes(Path.Combine(fontFolder, font.File)))).ToArray();
try
{
    Write("calibration", calibrationWords);
    Write("evaluation", evaluationWords);
    WriteAtomically(Path.Combine(outputFolder, "evaluation", "labels.csv"),
        System.Text.Encoding.UTF8.GetBytes(string.Concat(evaluationWords.Select((word, i) => $"{ImageName(i)},{word}\n"))));
}
finally
{
    foreach (var renderer in renderers)
        renderer.Dispose();
}
return 0;

void Write(string set, string[] words)
{
    var folder = Path.Combine(outputFolder, set);
    Directory.CreateDirectory(folder);
    for (var i = 0; i < words.Length; i++)
    {
        // Each word in one font, the fonts in turn, so every set covers all three.
        var font = i % fonts.Length;
        using var word = renderers[font].Render(words[i], fonts[font].Size);
        using var input = AsRecognizerInput(word);
        using var png = input.Encode(SKEncodedImageFormat.Png, 100);
        WriteAtomically(Path.Combine(folder, ImageName(i)), png.ToArray());
    }
}

static string ImageName(int index) => $"{index:D2}.png";

// Written beside the target and moved, so an interrupted run never leaves half a file.
static void WriteAtomically(string path, byte[] bytes)
{
    var temporary = path + ".tmp";
    File.WriteAllBytes(temporary, bytes);
    File.Move(temporary, path, overwrite: true);
}

// The geometry the app feeds the recognizer (Imaging/RecognizerPreprocessing.cs): height 48 keeping the aspect
// ratio, padded on the right to 320 with mid-gray, which normalizes to about 0 as PaddleOCR's padding does.
// Calibrating on stretched words instead leaves the padding's activations out of range: the model then reads
// the padding as trailing spaces.
static SKBitmap AsRecognizerInput(SKBitmap word)
{
    const int Height = 48, Width = 320;
    var scaledWidth = Math.Clamp((int)MathF.Ceiling(word.Width * (float)Height / word.Height), 1, Width);
    var input = new SKBitmap(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
    using var canvas = new SKCanvas(input);
    canvas.Clear(new SKColor(128, 128, 128));
    using var source = SKImage.FromBitmap(word);
    canvas.DrawImage(source, new SKRect(0, 0, scaledWidth, Height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    return input;
}
