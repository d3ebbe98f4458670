using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Federated;

namespace Course.Tests;

/// <summary>
/// Paillier: a key small enough to follow by hand, the homomorphic properties on random values, wrong keys and tampered
/// ciphertexts, fixed-point reals, and the same numbers as an independent implementation (npm's paillier-bigint).
/// </summary>
public class PaillierTests
{
    // p = 13, q = 17: n = 221, λ = lcm(12, 16) = 48, μ = 48⁻¹ mod 221 = 198; worked with Python's pow:
    // Enc(42; r = 23) = (1 + 42·221) · 23^221 mod 221² = 20206, Enc(100; r = 5) = 4100.
    [Fact]
    public void Toy_key_matches_the_hand_worked_numbers()
    {
        var keys = PaillierKeyPair.FromPrimes(13, 17);
        Assert.Equal(new BigInteger(221), keys.PublicKey.N);
        Assert.Equal(new BigInteger(48), keys.PrivateKey.Lambda);
        Assert.Equal(new BigInteger(198), keys.PrivateKey.Mu);
        var c1 = keys.PublicKey.Encrypt(42, new BigInteger(23));
        var c2 = keys.PublicKey.Encrypt(100, new BigInteger(5));
        Assert.Equal(new BigInteger(20206), c1);
        Assert.Equal(new BigInteger(4100), c2);
        Assert.Equal(new BigInteger(42), keys.PrivateKey.Decrypt(c1));
        Assert.Equal(new BigInteger(10264), keys.PublicKey.Add(c1, c2));
        Assert.Equal(new BigInteger(142), keys.PrivateKey.Decrypt(keys.PublicKey.Add(c1, c2)));
        Assert.Equal(new BigInteger(4094), keys.PublicKey.MultiplyPlain(c1, 3));
        Assert.Equal(new BigInteger(126), keys.PrivateKey.Decrypt(keys.PublicKey.MultiplyPlain(c1, 3)));
        Assert.Equal(new BigInteger(221 - 42), keys.PrivateKey.Decrypt(keys.PublicKey.MultiplyPlain(c1, -1)));
    }

    [Fact]
    public void Bad_primes_and_bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PaillierKeyPair.FromPrimes(13, 13));
        Assert.Throws<ArgumentException>(() => PaillierKeyPair.FromPrimes(15, 17));
        Assert.Throws<ArgumentException>(() => PaillierKeyPair.FromPrimes(3, 7)); // gcd(21, 12) = 3
        Assert.Throws<ArgumentOutOfRangeException>(() => PaillierKeyPair.Generate(63, RandomBits.Seeded(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PaillierKeyPair.Generate(32, RandomBits.Seeded(1)));
    }

    [Fact]
    public void Miller_Rabin_separates_primes_from_composites_including_Carmichael_numbers()
    {
        var random = RandomBits.Seeded(7);
        BigInteger[] primes = [2, 3, 1999, 2003, 7919, 1_000_000_007, BigInteger.Pow(2, 127) - 1, BigInteger.Pow(2, 89) - 1];
        BigInteger[] composites = [0, 1, 4, 561, 1105, 41041, 825265, 2003L * 2011, BigInteger.Pow(2, 128) + 1, BigInteger.Pow(2, 67) - 1,
            (BigInteger.Pow(2, 61) - 1) * (BigInteger.Pow(2, 89) - 1)];
        foreach (var p in primes) Assert.True(Primes.IsProbablePrime(p, random), $"{p} is prime");
        foreach (var c in composites) Assert.False(Primes.IsProbablePrime(c, random), $"{c} is composite");
        for (int bits = 16; bits <= 256; bits *= 2)
        {
            var p = Primes.Random(bits, random);
            Assert.Equal(bits, (long)p.GetBitLength());
            Assert.True(p.IsEven == false && (p >> (bits - 2)) == 3, $"top two bits of {p} are set");
        }
    }

    [Fact]
    public void Generated_keys_have_the_requested_size_and_seeds_reproduce_them()
    {
        var a = PaillierKeyPair.Generate(256, RandomBits.Seeded(3));
        var b = PaillierKeyPair.Generate(256, RandomBits.Seeded(3));
        var c = PaillierKeyPair.Generate(256, RandomBits.Seeded(4));
        Assert.Equal(256, a.PublicKey.Bits);
        Assert.Equal(a.PublicKey.N, b.PublicKey.N);
        Assert.NotEqual(a.PublicKey.N, c.PublicKey.N);
        Assert.Equal(a.PublicKey.N, a.PrivateKey.P * a.PrivateKey.Q);
        Assert.Equal(64, a.PublicKey.CiphertextBytes);
        Assert.Equal(256, PaillierKeyPair.Generate(256, RandomBits.Secure()).PublicKey.Bits);
    }

    [Theory]
    [InlineData(128, 1)]
    [InlineData(256, 2)]
    [InlineData(512, 3)]
    public void Homomorphic_properties_hold_on_random_values(int bits, long seed)
    {
        var random = RandomBits.Seeded(seed);
        var keys = PaillierKeyPair.Generate(bits, random);
        var (pk, sk, n) = (keys.PublicKey, keys.PrivateKey, keys.PublicKey.N);
        for (int trial = 0; trial < 40; trial++)
        {
            var m1 = random.Below(n);
            var m2 = random.Below(n);
            var k = random.Below(n) - n / 2; // either sign
            var c1 = pk.Encrypt(m1, random);
            var c2 = pk.Encrypt(m2, random);
            Assert.Equal(m1, sk.Decrypt(c1));
            Assert.Equal((m1 + m2) % n, sk.Decrypt(pk.Add(c1, c2)));
            Assert.Equal((m1 + m2) % n, sk.Decrypt(pk.AddPlain(c1, m2)));
            Assert.Equal(((k * m1) % n + n) % n, sk.Decrypt(pk.MultiplyPlain(c1, k)));
            var fresh = pk.Rerandomize(c1, random);
            Assert.NotEqual(c1, fresh);
            Assert.Equal(m1, sk.Decrypt(fresh));
            Assert.NotEqual(c1, pk.Encrypt(m1, random)); // probabilistic: the same plaintext, another ciphertext
        }
    }

    [Fact]
    public void A_wrong_key_does_not_decrypt()
    {
        var random = RandomBits.Seeded(11);
        var right = PaillierKeyPair.Generate(256, random);
        var wrong = PaillierKeyPair.Generate(256, random);
        for (int trial = 0; trial < 20; trial++)
        {
            var m = random.Below(BigInteger.One << 64);
            var c = right.PublicKey.Encrypt(m, random);
            BigInteger? decrypted = null;
            try { decrypted = wrong.PrivateKey.Decrypt(c); }
            catch (ArgumentException) { } // a ciphertext beyond the wrong key's n² is refused outright
            Assert.NotEqual(m, decrypted);
        }
        var x = EncryptedNumber.Encrypt(right.PublicKey, 3.25, random);
        var e = Assert.Throws<ArgumentException>(() => wrong.PrivateKey.Decrypt(x));
        Assert.Contains("another key", e.Message);
        Assert.Throws<ArgumentException>(() => x + EncryptedNumber.Encrypt(wrong.PublicKey, 1, random));
    }

    [Fact]
    public void A_tampered_ciphertext_never_silently_yields_the_right_answer()
    {
        var random = RandomBits.Seeded(12);
        var keys = PaillierKeyPair.Generate(256, random);
        var (pk, sk) = (keys.PublicKey, keys.PrivateKey);
        var m = new BigInteger(123456789);
        var c = pk.Encrypt(m, random);
        foreach (var tampered in new[] { c + 1, c * 2 % pk.NSquared, c ^ BigInteger.One << 100, pk.Add(c, c) })
        {
            BigInteger? decrypted = null;
            try { decrypted = sk.Decrypt(tampered); }
            catch (ArgumentException) { }
            Assert.NotEqual(m, decrypted);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => sk.Decrypt(BigInteger.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => sk.Decrypt(pk.NSquared));
        Assert.Throws<ArgumentException>(() => sk.Decrypt(sk.P * 12345));
        // a tampered fixed-point number decodes to an error or a wrong value, never to the sent one
        var x = EncryptedNumber.Encrypt(pk, -2.5, random);
        var forged = EncryptedNumber.FromCiphertext(pk, x.Ciphertext * 3 % pk.NSquared, x.Scale);
        Assert.NotEqual(-2.5, sk.Decrypt(forged));
        Assert.Throws<OverflowException>(() => sk.Decrypt(EncryptedNumber.FromCiphertext(pk, pk.Encrypt(pk.N / 2, random), 32)));
    }

    [Fact]
    public void Fixed_point_reals_add_and_multiply_under_encryption()
    {
        var random = RandomBits.Seeded(13);
        var keys = PaillierKeyPair.Generate(512, random);
        var (pk, sk) = (keys.PublicKey, keys.PrivateKey);
        var rng = new Random(5);
        for (int trial = 0; trial < 50; trial++)
        {
            double a = (rng.NextDouble() - 0.5) * 2000, b = (rng.NextDouble() - 0.5) * 20, k = (rng.NextDouble() - 0.5) * 10;
            var ea = EncryptedNumber.Encrypt(pk, a, random);
            var eb = EncryptedNumber.Encrypt(pk, b, random, scale: 20);
            // the exact values the encodings stand for, so the assertions are exact
            double qa = Math.ScaleB((double)FixedPoint.ToInteger(a, 32), -32), qb = Math.ScaleB((double)FixedPoint.ToInteger(b, 20), -20);
            double qk = Math.ScaleB((double)FixedPoint.ToInteger(k, 32), -32);
            Assert.Equal(qa, sk.Decrypt(ea));
            Assert.Equal(qa + qb, sk.Decrypt(ea + eb));
            Assert.Equal(32, (ea + eb).Scale);
            // a product of two encodings has more bits than a double: compare the plaintext integers exactly
            var product = ea * k;
            Assert.Equal(FixedPoint.ToInteger(a, 32) * FixedPoint.ToInteger(k, 32), FixedPoint.Unwrap(sk.Decrypt(product.Ciphertext), pk.N));
            Assert.True(Math.Abs(sk.Decrypt(product) - qa * qk) <= Math.Abs(qa * qk) * 4.5e-16, "the product decodes to within two units in the last place");
            Assert.Equal(64, (ea * k).Scale);
            Assert.Equal(-qa, sk.Decrypt(-ea));
            Assert.Equal(3 * qa, sk.Decrypt(ea * 3L));
            Assert.Equal(qa + Math.ScaleB((double)FixedPoint.ToInteger(b, 32), -32), sk.Decrypt(ea + b));
            Assert.True(Math.Abs(sk.Decrypt(ea * k) - a * k) < 1e-6, "fixed point keeps 32 fraction bits");
        }
        Assert.Equal(6.0, sk.Decrypt(EncryptedNumber.Sum(new[] { 1.0, 2.0, 3.0 }.Select(v => EncryptedNumber.Encrypt(pk, v, random)))));
        Assert.Throws<ArgumentException>(() => EncryptedNumber.Sum([]));
        Assert.Throws<ArgumentException>(() => EncryptedNumber.Encrypt(pk, double.NaN, random));
        Assert.Throws<OverflowException>(() => EncryptedNumber.Encrypt(pk, 1e200, random));
    }

    [Fact]
    public void Batched_encryption_and_the_encrypted_dot_product_are_exact()
    {
        var keys = PaillierKeyPair.Generate(256, RandomBits.Seeded(30));
        var (pk, sk) = (keys.PublicKey, keys.PrivateKey);
        var rng = new Random(3);
        var x = Enumerable.Range(0, 25).Select(_ => (rng.NextDouble() - 0.5) * 8).ToArray();
        var w = Enumerable.Range(0, 25).Select(_ => (rng.NextDouble() - 0.5) * 3).ToArray();
        var a = EncryptedNumber.EncryptMany(pk, x, RandomBits.Seeded(31));
        var b = EncryptedNumber.EncryptMany(pk, x, RandomBits.Seeded(31));
        Assert.Equal(a.Select(e => e.Ciphertext), b.Select(e => e.Ciphertext)); // a seed reproduces the ciphertexts
        Assert.Equal(x.Select(v => Math.ScaleB((double)FixedPoint.ToInteger(v, 32), -32)), a.Select(sk.Decrypt));
        // Σ xᵢ wᵢ on the encodings, as integers: exact
        var expected = x.Zip(w, (xi, wi) => FixedPoint.ToInteger(xi, 32) * FixedPoint.ToInteger(wi, 32)).Aggregate(BigInteger.Add);
        var dot = EncryptedNumber.Dot(a, w);
        Assert.Equal(64, dot.Scale);
        Assert.Equal(expected, FixedPoint.Unwrap(sk.Decrypt(dot.Ciphertext), pk.N));
        Assert.Equal(FixedPoint.Unwrap(sk.Decrypt(EncryptedNumber.Sum(a.Select((e, i) => e * w[i])).Ciphertext), pk.N), FixedPoint.Unwrap(sk.Decrypt(dot.Ciphertext), pk.N));
        Assert.Throws<ArgumentException>(() => EncryptedNumber.Dot(a, w[..3]));
    }

    [Fact]
    public void Encryption_and_decryption_match_npm_paillier_bigint()
    {
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists);
        var modules = Path.Combine(Checkout.Artifacts, "npm", "node_modules");
        Assert.True(node is not null, "node is not on PATH (Debian's nodejs, which npm brings; ./course setup needs npm)");
        Assert.True(Directory.Exists(Path.Combine(modules, "paillier-bigint")), $"paillier-bigint is missing from {modules}; run ./course setup");
        var random = RandomBits.Seeded(21);
        var cases = new JsonArray();
        var expected = new List<(PaillierKeyPair Keys, BigInteger[] M, BigInteger[] R, BigInteger[] C, BigInteger[] K)>();
        foreach (int bits in new[] { 128, 512, 1024 })
        {
            var keys = PaillierKeyPair.Generate(bits, random);
            var n = keys.PublicKey.N;
            var m = Enumerable.Range(0, 5).Select(_ => random.Below(n)).ToArray();
            var r = m.Select(_ => random.Below(n - 2) + 1).ToArray();
            var c = m.Select((mi, i) => keys.PublicKey.Encrypt(mi, r[i])).ToArray();
            var k = m.Select(_ => random.Below(BigInteger.One << 40)).ToArray();
            expected.Add((keys, m, r, c, k));
            cases.Add(new JsonObject
            {
                ["n"] = n.ToString(), ["p"] = keys.PrivateKey.P.ToString(), ["q"] = keys.PrivateKey.Q.ToString(),
                ["lambda"] = keys.PrivateKey.Lambda.ToString(), ["mu"] = keys.PrivateKey.Mu.ToString(),
                ["m"] = Strings(m), ["r"] = Strings(r), ["c"] = Strings(c), ["k"] = Strings(k),
            });
        }
        var input = Path.Combine(Path.GetTempPath(), $"paillier-cases-{Environment.ProcessId}.json");
        File.WriteAllText(input, cases.ToJsonString());
        try
        {
            var run = ChildProcess.Run("/bin/sh", ["-c", $"\"{node}\" \"{Path.Combine(AppContext.BaseDirectory, "reference", "paillier_oracle.cjs")}\" < \"{input}\""],
                TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["NODE_PATH"] = modules });
            Assert.True(run.ExitCode == 0, run.ToString());
            var results = JsonNode.Parse(run.Stdout)!.AsArray();
            for (int t = 0; t < expected.Count; t++)
            {
                var (keys, m, r, c, k) = expected[t];
                var o = results[t]!;
                Assert.True(o["p_prime"]!.GetValue<bool>() && o["q_prime"]!.GetValue<bool>(), "bigint-crypto-utils agrees p and q are prime");
                Assert.Equal(Strings(c).Select(x => x!.ToString()), Values(o["encrypted"]));
                Assert.Equal(Strings(m).Select(x => x!.ToString()), Values(o["decrypted"]));
                Assert.Equal(Strings(r).Select(x => x!.ToString()), Values(o["random_factor"]));
                var pk = keys.PublicKey;
                Assert.Equal(c.Aggregate(pk.Add).ToString(), o["sum"]!.GetValue<string>());
                Assert.Equal(c.Select((ci, i) => pk.MultiplyPlain(ci, k[i]).ToString()), Values(o["scaled"]));
            }
        }
        finally { File.Delete(input); }
    }

    private static JsonArray Strings(IEnumerable<BigInteger> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v.ToString())!).ToArray());
    private static IEnumerable<string> Values(JsonNode? array) => array!.AsArray().Select(x => x!.GetValue<string>());
}
