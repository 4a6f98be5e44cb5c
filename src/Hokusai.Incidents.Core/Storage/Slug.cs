using System.Globalization;
using System.Text;

namespace Hokusai.Incidents.Storage;

/// <summary>Readable incident ids: the start date then the title in lower-case words, e.g. 2025-08-18-model-registration-failure.</summary>
public static class Slug
{
    private const int MaxWords = 8;

    /// <summary>The longest id: LiteDB keys are limited to 1,023 bytes, and ids are typed by people.</summary>
    public const int MaxLength = 200;

    public static string For(Incident incident, DateTimeOffset now)
    {
        var date = (incident.Times.Started ?? incident.Times.FirstReported ?? now).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var words = Words(incident.Title);
        var id = words.Length == 0 ? date + "-incident" : date + "-" + words;
        return id.Length <= MaxLength - 4 ? id : id[..(MaxLength - 4)].TrimEnd('-');
    }

    /// <summary>Lower-case letters, digits and single hyphens; what a user may type as an id.</summary>
    public static string Normalise(string id)
    {
        CheckLength(id);
        var s = Words(id, int.MaxValue);
        return s.Length == 0 ? throw new InvalidInputException($"invalid incident id '{id}'") : s;
    }

    /// <summary>Refuses an id longer than <see cref="MaxLength"/> as bad input, before it reaches the database.</summary>
    public static void CheckLength(string id)
    {
        if (id.Length > MaxLength)
        {
            throw new InvalidInputException($"invalid incident id '{id[..40]}…': {id.Length:N0} characters long, at most {MaxLength}");
        }
    }

    private static string Words(string text, int maxWords = MaxWords)
    {
        var sb = new StringBuilder();
        var words = 0;
        var pendingHyphen = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && sb.Length > 0)
                {
                    if (++words >= maxWords)
                    {
                        break;
                    }
                    sb.Append('-');
                }
                pendingHyphen = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingHyphen = true;
            }
        }
        return sb.ToString();
    }
}
