using System.Globalization;
using System.IO.Compression;

namespace Course;

/// <summary>
/// The diabetes data of Efron, Hastie, Johnstone and Tibshirani ("Least angle regression", 2004): 442 patients, ten
/// baseline measurements (age, sex, body-mass index, mean blood pressure and six blood serum values) and a measure of
/// disease progression one year later. Read from the copy Debian's python3-sklearn ships
/// (sklearn/datasets/data/diabetes_*.csv.gz), unscaled.
/// </summary>
public static class Diabetes
{
    public const string Package = "python3-sklearn";
    public const string DefaultFolder = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>The ten features, in the file's order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } = ["age", "sex", "bmi", "bp", "tc", "ldl", "hdl", "tch", "ltg", "glu"];

    /// <summary>Features [442, 10] and targets [442], as in the files.</summary>
    public static (double[,] Features, double[] Target) Load(string? folder = null)
    {
        folder ??= DefaultFolder;
        var dataPath = Path.Combine(folder, "diabetes_data_raw.csv.gz");
        var targetPath = Path.Combine(folder, "diabetes_target.csv.gz");
        foreach (var path in new[] { dataPath, targetPath })
            if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: the diabetes data come with Debian's {Package} ('./course setup' installs it).", path);
        var rows = ReadLines(dataPath).Select(line => Numbers(line, dataPath)).ToList();
        var target = ReadLines(targetPath).Select(line => Numbers(line, targetPath).Single()).ToArray();
        if (rows.Count != target.Length || rows.Any(r => r.Length != FeatureNames.Count))
            throw new InvalidDataException($"{dataPath}: expected rows of {FeatureNames.Count} numbers, one per target in {targetPath}.");
        var x = new double[rows.Count, FeatureNames.Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < FeatureNames.Count; j++) x[i, j] = rows[i][j];
        return (x, target);
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
            if (!string.IsNullOrWhiteSpace(line)) yield return line;
    }

    private static double[] Numbers(string line, string path)
    {
        var parts = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new InvalidDataException($"{path}: '{parts[i]}' is not a number.");
        return values;
    }
}
