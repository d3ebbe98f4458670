using System.Numerics;

namespace Course.Federated;

/// <summary>
/// The coordinator C of vertical federated learning: it makes the key pair, hands out the public key, and decrypts
/// what the protocol lets it see: the loss, masked gradients, and the sum of the parties' scores at inference. It
/// holds no data. The protocol assumes it is honest but curious and does not collude with A or B.
/// </summary>
public sealed class Coordinator
{
    private readonly PaillierPrivateKey _privateKey;

    public Coordinator(int keyBits, RandomBits random) => _privateKey = PaillierKeyPair.Generate(keyBits, random).PrivateKey;

    public PaillierPublicKey PublicKey => _privateKey.PublicKey;

    /// <summary>Decrypts the loss that B sends.</summary>
    public double DecryptLoss(EncryptedNumber loss) => _privateKey.Decrypt(loss);

    /// <summary>Decrypts masked gradients: plaintexts in [0, n) that look uniformly random to C.</summary>
    public BigInteger[] DecryptMasked(IReadOnlyList<EncryptedNumber> masked) =>
        masked.Select(x =>
        {
            if (!x.Key.Equals(PublicKey)) throw new ArgumentException("a value encrypted under another key arrived.", nameof(masked));
            return _privateKey.Decrypt(x.Ciphertext);
        }).ToArray();
}
