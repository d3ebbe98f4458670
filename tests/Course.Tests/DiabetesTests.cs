namespace Course.Tests;

/// <summary>The diabetes data as sklearn ships them: shape, the first patient, and sklearn's own column means.</summary>
public class DiabetesTests
{
    [Fact]
    public void Loads_442_patients_with_ten_features()
    {
        var (x, y) = Diabetes.Load();
        Assert.Equal(442, x.GetLength(0));
        Assert.Equal(10, x.GetLength(1));
        Assert.Equal(442, y.Length);
        // the first line of diabetes_data_raw.csv.gz and of diabetes_target.csv.gz
        Assert.Equal(new double[] { 59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87 }, Enumerable.Range(0, 10).Select(j => x[0, j]));
        Assert.Equal(151, y[0]);
        // sklearn.datasets.load_diabetes(scaled=False): target mean 152.13348416289594, age mean 48.51809954751131
        Assert.Equal(152.13348416289594, y.Average(), 1e-12);
        Assert.Equal(48.51809954751131, Enumerable.Range(0, 442).Average(i => x[i, 0]), 1e-12);
    }

    [Fact]
    public void A_missing_folder_names_the_package()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Diabetes.Load("/nonexistent"));
        Assert.Contains("python3-sklearn", e.Message);
    }
}
