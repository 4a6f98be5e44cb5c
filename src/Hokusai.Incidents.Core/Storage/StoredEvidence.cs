using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Text;

namespace Hokusai.Incidents.Storage;

/// <summary>
/// How an evidence item is kept in the database (schema version 2): the document holds only what LiteDB
/// looks up (<c>_id</c>, the incident and number; <c>key</c>, the unique dedup key) and one binary value
/// with the rest. Version 1 kept every member as a field of its own: reading 10,000 items decoded about
/// 6 KB of field names, dictionaries and values each (most of a large render's time and of the garbage
/// its collections copied), and the incident id and dedup key were stored twice.
/// </summary>
internal static class StoredEvidence
{
    /// <summary>The binary member's field name.</summary>
    public const string Field = "v";

    // Bumped when the layout inside the binary value changes; a reader refuses one it does not know.
    private const byte Layout = 1;

    [Flags]
    private enum Present : byte
    {
        None = 0,
        Source = 1,
        Time = 2,
        Title = 4,
        Language = 8,
    }

    public static byte[] Encode(Evidence e)
    {
        var w = new ArrayBufferWriter<byte>(128 + (e.Content.Length * 2));
        Write(w, e);
        return w.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> w, Evidence e)
    {
        WriteByte(w, Layout);
        WriteText(w, Vocabulary.Word(e.Kind));
        WriteText(w, e.Content);
        WriteInt64(w, e.CollectedAt.UtcTicks);
        var present = (e.Source is null ? Present.None : Present.Source) | (e.Time is null ? Present.None : Present.Time)
            | (e.Title is null ? Present.None : Present.Title) | (e.Language is null ? Present.None : Present.Language);
        WriteByte(w, (byte)present);
        if (e.Source is not null)
        {
            WriteText(w, e.Source);
        }
        if (e.Time is { } time)
        {
            WriteInt64(w, time.UtcTicks);
        }
        if (e.Title is not null)
        {
            WriteText(w, e.Title);
        }
        if (e.Language is not null)
        {
            WriteText(w, e.Language);
        }
        WriteTexts(w, e.Supports);
        WriteTexts(w, e.Refutes);
        WriteCount(w, e.Attributes.Count);
        foreach (var (name, value) in e.Attributes)
        {
            WriteText(w, name);
            WriteText(w, value);
        }
    }

    /// <summary>
    /// Items of one incident, in number order, as one value (a block of the read copy the store keeps): each item's
    /// number and dedup key, then its value as <see cref="Encode"/> writes it.
    /// </summary>
    public static byte[] EncodeBlock(IReadOnlyList<Evidence> items)
    {
        var w = new ArrayBufferWriter<byte>(64 + items.Sum(e => 96 + (e.Content.Length * 2)));
        WriteByte(w, BlockLayout);
        WriteCount(w, items.Count);
        foreach (var e in items)
        {
            WriteInt64(w, e.Number);
            WriteText(w, e.DedupKey ?? "");
            Write(w, e);
        }
        return w.WrittenSpan.ToArray();
    }

    // Bumped when the layout of a block changes; a block in a layout this version does not know is read past.
    private const byte BlockLayout = 1;

    /// <summary>The items of a block <see cref="EncodeBlock"/> wrote, or null when its layout is not this version's.</summary>
    public static List<Evidence>? DecodeBlock(string incidentId, ReadOnlySpan<byte> block, Dictionary<string, string> shared)
    {
        var r = new Reader(block);
        if (r.Byte() != BlockLayout)
        {
            return null;
        }
        var count = r.Count();
        var items = new List<Evidence>(count);
        incidentId = Shared(incidentId, shared);
        for (var i = 0; i < count; i++)
        {
            var number = r.Int64();
            var dedupKey = r.Text(null);
            items.Add(Read(ref r, incidentId, number, dedupKey, shared));
        }
        return items;
    }

    /// <summary>
    /// The item stored under <paramref name="id"/> (incident/number) and <paramref name="key"/> (incident,
    /// newline, dedup key). <paramref name="shared"/>, when given, keeps one copy of the values many items
    /// repeat (the incident, kinds, sources, attribute names and the attributes runs of items share).
    /// </summary>
    public static Evidence Decode(string id, string key, ReadOnlySpan<byte> value, Dictionary<string, string>? shared)
    {
        var slash = id.LastIndexOf('/');
        if (slash <= 0 || !long.TryParse(id.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            throw new InvalidDataException($"evidence id '{id}' is not incident/number");
        }
        var incidentId = Shared(id.AsSpan(0, slash), shared);
        var dedupKey = key.Length > slash && key.StartsWith(incidentId, StringComparison.Ordinal) && key[slash] == '\n' ? key[(slash + 1)..] : key;
        var r = new Reader(value);
        return Read(ref r, incidentId, number, dedupKey, shared);
    }

    private static Evidence Read(ref Reader r, string incidentId, long number, string dedupKey, Dictionary<string, string>? shared)
    {
        if (r.Byte() != Layout)
        {
            throw new InvalidDataException($"evidence E{number} of incident '{incidentId}' is stored in a layout this version of incidents does not know");
        }
        var kind = Vocabulary.ParseEvidenceKind(r.Text(shared));
        var content = r.Text(null);
        var collectedAt = r.Int64();
        var present = (Present)r.Byte();
        var source = present.HasFlag(Present.Source) ? r.Text(shared) : null;
        DateTimeOffset? time = present.HasFlag(Present.Time) ? new DateTimeOffset(r.Int64(), TimeSpan.Zero) : null;
        var title = present.HasFlag(Present.Title) ? r.Text(null) : null;
        var language = present.HasFlag(Present.Language) ? r.Text(shared) : null;
        var supports = r.Texts(shared);
        var refutes = r.Texts(shared);
        var count = r.Count();
        // Left unset when empty: the record's own empty attributes, not a dictionary per item.
        Dictionary<string, string>? attributes = count == 0 ? null : new(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = r.Text(shared);
            attributes![name] = r.Text(RepeatedAttributes.Contains(name) ? shared : null);
        }
        return new Evidence
        {
            IncidentId = incidentId,
            Number = number,
            Kind = kind,
            Content = content,
            Source = source,
            Time = time,
            Title = title,
            Language = language,
            Supports = supports,
            Refutes = refutes,
            Attributes = attributes!,
            DedupKey = dedupKey,
            CollectedAt = new DateTimeOffset(collectedAt, TimeSpan.Zero),
        };
    }

    /// <summary>Attributes whose values a run of evidence mostly shares (unlike event ids or errors).</summary>
    public static readonly FrozenSet<string> RepeatedAttributes = new[]
    {
        EvidenceAttributes.LogGroup, EvidenceAttributes.LogStream, EvidenceAttributes.Cluster, EvidenceAttributes.Service,
        EvidenceAttributes.StopCode, EvidenceAttributes.TaskStatus, EvidenceAttributes.RolloutState, EvidenceAttributes.Url,
        EvidenceAttributes.StatusCode, EvidenceAttributes.Outcome,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The copy of <paramref name="value"/> that <paramref name="shared"/> keeps, added if it has none.</summary>
    internal static string Shared(ReadOnlySpan<char> value, Dictionary<string, string>? shared)
    {
        if (shared is null)
        {
            return value.ToString();
        }
        var lookup = shared.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out var kept))
        {
            return kept;
        }
        var made = value.ToString();
        shared[made] = made;
        return made;
    }

    private static void WriteByte(ArrayBufferWriter<byte> w, byte value)
    {
        w.GetSpan(1)[0] = value;
        w.Advance(1);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> w, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    private static void WriteCount(ArrayBufferWriter<byte> w, int value)
    {
        // Seven bits a byte, low first: most lengths and counts take one byte.
        var v = (uint)value;
        while (v >= 0x80)
        {
            WriteByte(w, (byte)(v | 0x80));
            v >>= 7;
        }
        WriteByte(w, (byte)v);
    }

    private static void WriteText(ArrayBufferWriter<byte> w, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteCount(w, length);
        Encoding.UTF8.GetBytes(value, w.GetSpan(length));
        w.Advance(length);
    }

    private static void WriteTexts(ArrayBufferWriter<byte> w, IReadOnlyList<string> values)
    {
        WriteCount(w, values.Count);
        foreach (var v in values)
        {
            WriteText(w, v);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public byte Byte() => _bytes[_at++];

        public long Int64()
        {
            var v = BinaryPrimitives.ReadInt64LittleEndian(_bytes.Slice(_at, 8));
            _at += 8;
            return v;
        }

        public int Count()
        {
            var v = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                v |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return v;
                }
            }
            throw new InvalidDataException("evidence value has a malformed length");
        }

        public string Text(Dictionary<string, string>? shared)
        {
            var length = Count();
            var utf8 = _bytes.Slice(_at, length);
            _at += length;
            if (shared is null || length > 256)
            {
                return Encoding.UTF8.GetString(utf8);
            }
            // A repeated value is found by its characters, without making a string first.
            Span<char> chars = stackalloc char[256];
            var written = Encoding.UTF8.GetChars(utf8, chars);
            return Shared(chars[..written], shared);
        }

        public IReadOnlyList<string> Texts(Dictionary<string, string>? shared)
        {
            var count = Count();
            if (count == 0)
            {
                return [];
            }
            var values = new string[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = Text(shared);
            }
            return values;
        }
    }
}
