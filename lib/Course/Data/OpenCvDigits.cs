namespace Course;

/// <summary>
/// OpenCV's handwritten digits: the 5,000 20×20 digits of <c>examples/data/digits.png</c> in the Debian package
/// <c>opencv-doc</c> (a 2000×1000 gray image: 50 rows of 100 tiles, the digit d in tile rows 5d..5d+4, white on black
/// like MNIST), or the file (or the folder holding digits.png) in $COURSE_OPENCV_DIGITS.
/// Each 20×20 tile is padded with 4 black pixels on every side to 28×28, so a Fashion-MNIST encoder applies unchanged:
/// MNIST itself fits its digits in a 20×20 box centred in 28×28, and padding keeps every pixel as drawn (resizing 20→28
/// would blur the strokes and make them thicker than MNIST's). The file has no split: 20 % of each digit goes to test
/// (fixed, see <see cref="StratifiedSplit"/>) and 10 % to validation (seeded), so 3,500 / 500 / 1,000.
/// <code>
/// using var digits = OpenCvDigits.Load(seed: 0);   // float32 [N, 1, 28, 28] in [0, 1], labels 0..9
/// </code>
/// </summary>
public static class OpenCvDigits
{
    public const string Package = "opencv-doc";
    public const string EnvironmentVariable = "COURSE_OPENCV_DIGITS";
    public const string StandardPath = "/usr/share/doc/opencv-doc/examples/data/digits.png";
    public const string FileName = "digits.png";
    public const int Tile = 20, Size = 28, TilesPerRow = 100, TileRows = 50, RowsPerDigit = 5;

    /// <summary>The ten classes, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Loads the 5,000 digits as 28×28 images split three ways (stratified; <paramref name="limit"/> caps each split).</summary>
    public static ImageClassificationData Load(double validationFraction = 0.1, double testFraction = 0.2, int seed = 0, int? limit = null, string? path = null)
    {
        var (pixels, labels) = Read(path);
        var splits = StratifiedSplit.Split(labels, validationFraction, testFraction, seed);
        return StratifiedSplit.Build(pixels, [1, Size, Size], labels, ClassNames, splits, limit);
    }

    /// <summary>All 5,000 digits in the file's order (tile row by tile row): 28×28 bytes each, and their labels.</summary>
    public static (byte[] Pixels, int[] Labels) Read(string? path = null)
    {
        var file = FilePath(path);
        var image = Png.Read(file);
        if (image.Width != Tile * TilesPerRow || image.Height != Tile * TileRows || image.Channels != 1)
            throw new InvalidDataException($"{file} is a {image.Width}×{image.Height} image with {image.Channels} channel(s); OpenCV's digits.png is 2000×1000 gray.");
        int count = TilesPerRow * TileRows, pad = (Size - Tile) / 2;
        var pixels = new byte[count * Size * Size];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int row = n / TilesPerRow, column = n % TilesPerRow;
            labels[n] = row / RowsPerDigit;
            for (int y = 0; y < Tile; y++)
                Array.Copy(image.Pixels, (row * Tile + y) * image.Width + column * Tile, pixels, n * Size * Size + (y + pad) * Size + pad, Tile);
        }
        return (pixels, labels);
    }

    /// <summary>
    /// digits.png: <paramref name="path"/> if given, else $COURSE_OPENCV_DIGITS, else the Debian package's file (a
    /// folder stands for its digits.png). A missing file raises an error that names the package and the variable.
    /// </summary>
    public static string FilePath(string? path = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (given, source) = !string.IsNullOrWhiteSpace(path) ? (path, "the path given")
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment, $"{EnvironmentVariable}={fromEnvironment}")
            : (StandardPath, $"the file of the Debian package {Package}");
        var file = Directory.Exists(given) ? Path.Combine(given, FileName) : given;
        if (!File.Exists(file))
            throw new FileNotFoundException(
                $"OpenCV's digits were not found: {file} ({source}) does not exist. " +
                $"Install the Debian package {Package} ('sudo apt-get install {Package}', which './course setup' does), " +
                $"or set {EnvironmentVariable} to digits.png or the folder holding it.", file);
        return file;
    }
}
