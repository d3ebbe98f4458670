namespace Course.Federated;

/// <summary>One message between parties: who sent what to whom, and how many bytes it took.</summary>
public sealed record Message(int Round, string From, string To, string What, long Bytes);

/// <summary>
/// The only channel between the parties of a protocol: every message passes here and is logged, so a chapter can
/// show exactly what each party sent and count the bytes per round.
/// </summary>
public sealed class Wire
{
    private readonly List<Message> _log = [];

    /// <summary>The protocol round messages are logged under.</summary>
    public int Round { get; set; }

    public IReadOnlyList<Message> Log => _log;

    /// <summary>Sends ciphertexts: each takes the key's fixed ciphertext width.</summary>
    public IReadOnlyList<EncryptedNumber> Send(string from, string to, string what, IReadOnlyList<EncryptedNumber> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        long bytes = numbers.Sum(x => (long)x.Key.CiphertextBytes);
        _log.Add(new Message(Round, from, to, what, bytes));
        return numbers;
    }

    public EncryptedNumber Send(string from, string to, string what, EncryptedNumber number) => Send(from, to, what, [number])[0];

    /// <summary>Sends plaintext numbers (8 bytes per real, the width of an n-bit integer per big integer).</summary>
    public T Send<T>(string from, string to, string what, T payload, long bytes)
    {
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "a message has a non-negative size.");
        _log.Add(new Message(Round, from, to, what, bytes));
        return payload;
    }

    /// <summary>Bytes sent in <paramref name="round"/>.</summary>
    public long BytesIn(int round) => _log.Where(m => m.Round == round).Sum(m => m.Bytes);
}
