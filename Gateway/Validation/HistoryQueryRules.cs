using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Validation;

/// <summary>
/// The history route's query, read from its raw strings: bound as numbers, a value such as <c>limit=abc</c> or one
/// past the type's range was answered with a bare 400 by the generated binding code, and clients show the detail.
/// </summary>
internal static class HistoryQueryRules
{
    public static bool TryRead(
        string? limit, string? before, string? afterSeq, string? sinceVersion,
        [NotNullWhen(true)] out MessageQuery? query, [NotNullWhen(false)] out string? detail)
    {
        query = null;
        detail = null;
        if (!TryReadLimit(limit, out var pageSize))
        {
            detail = $"limit must be a whole number from 1 to {ChatLimits.MaxPageSize}.";
        }
        else if (!TryReadMessageId(before, out var beforeId))
        {
            detail = "before must be a message id.";
        }
        else if (!TryReadPosition(afterSeq, out var afterSeqValue) || !TryReadPosition(sinceVersion, out var sinceVersionValue))
        {
            detail = "afterSeq and sinceVersion must be whole numbers, not negative.";
        }
        else if ((beforeId.HasValue ? 1 : 0) + (afterSeqValue.HasValue ? 1 : 0) + (sinceVersionValue.HasValue ? 1 : 0) > 1)
        {
            detail = "Use at most one of before, afterSeq and sinceVersion.";
        }
        else
        {
            query = new MessageQuery(pageSize, beforeId, afterSeqValue, sinceVersionValue);
        }

        return query is not null;
    }

    /// <summary>Whether the query asks for the newest page (no position given).</summary>
    public static bool IsNewestPage(this MessageQuery query) =>
        query is { BeforeMessageId: null, AfterSeq: null, SinceVersion: null };

    private static bool TryReadLimit(string? raw, out int pageSize)
    {
        pageSize = ChatLimits.DefaultPageSize;
        return string.IsNullOrEmpty(raw)
            || (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
                && pageSize is >= 1 and <= ChatLimits.MaxPageSize);
    }

    private static bool TryReadMessageId(string? raw, out Guid? messageId)
    {
        messageId = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (!Guid.TryParse(raw, out var id))
        {
            return false;
        }

        messageId = id;
        return true;
    }

    // A sequence number or chat version: absent, or 0 up to long.MaxValue (no sign, no spaces).
    private static bool TryReadPosition(string? raw, out long? value)
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
