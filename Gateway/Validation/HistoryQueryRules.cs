using System.Globalization;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Validation;

/// <summary>
/// The history route's query, read from its raw strings: bound as numbers, a value such as <c>limit=abc</c> or one
/// past the type's range was answered with a bare 400 by the generated binding code, and clients show the detail.
/// </summary>
internal static class HistoryQueryRules
{
    /// <summary>Returns the detail to show, or <c>null</c> with <paramref name="query"/> set.</summary>
    public static string? Read(string? limit, string? before, string? afterSeq, string? sinceVersion, out MessageQuery query)
    {
        query = new MessageQuery(ChatLimits.DefaultPageSize);
        var pageSize = ChatLimits.DefaultPageSize;
        if (!string.IsNullOrEmpty(limit) && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
                                              && pageSize is >= 1 and <= ChatLimits.MaxPageSize))
        {
            return $"limit must be a whole number from 1 to {ChatLimits.MaxPageSize}.";
        }

        Guid? beforeId = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (!Guid.TryParse(before, out var id))
            {
                return "before must be a message id.";
            }

            beforeId = id;
        }

        if (!ReadPosition(afterSeq, out var afterSeqValue) || !ReadPosition(sinceVersion, out var sinceVersionValue))
        {
            return "afterSeq and sinceVersion must be whole numbers, not negative.";
        }

        if (new object?[] { beforeId, afterSeqValue, sinceVersionValue }.Count(v => v is not null) > 1)
        {
            return "Use at most one of before, afterSeq and sinceVersion.";
        }

        query = new MessageQuery(pageSize, beforeId, afterSeqValue, sinceVersionValue);
        return null;
    }

    /// <summary>Whether the query asks for the newest page (no position given).</summary>
    public static bool IsNewestPage(this MessageQuery query) =>
        query is { BeforeMessageId: null, AfterSeq: null, SinceVersion: null };

    // A sequence number or chat version: absent, or 0 up to long.MaxValue (no sign, no spaces).
    private static bool ReadPosition(string? raw, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
