using System.Text;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Validation;

/// <summary>The contract's chat and message limits. Each check returns the <c>detail</c> to show, or <c>null</c>.</summary>
internal static class ChatRules
{
    public static string? CheckText(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "text is required.";
        }

        if (TextRules.IsBlank(trimmed))
        {
            return "text must contain a visible character.";
        }

        return TextRules.HasMoreCharactersThan(trimmed, ChatLimits.MaxTextLength)
            ? $"text must be at most {ChatLimits.MaxTextLength} characters."
            : TextRules.CheckStorable("text", trimmed);
    }

    public static string? CheckName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "name is required for groups and channels.";
        }

        if (TextRules.IsBlank(trimmed))
        {
            return "name must contain a visible character.";
        }

        return TextRules.HasMoreCharactersThan(trimmed, ChatLimits.MaxNameLength)
            ? $"name must be at most {ChatLimits.MaxNameLength} characters."
            : TextRules.CheckStorable("name", trimmed);
    }

    /// <summary>A single reaction token: 1–32 bytes, no white space, well formed (<see cref="ReactionToken"/>).</summary>
    public static string? CheckEmoji(string? emoji)
    {
        if (string.IsNullOrEmpty(emoji) || emoji.Any(char.IsWhiteSpace))
        {
            return "emoji must be a single reaction.";
        }

        if (!ReactionToken.IsWellFormed(emoji))
        {
            return "emoji must be a single visible reaction.";
        }

        return Encoding.UTF8.GetByteCount(emoji) > ChatLimits.MaxEmojiBytes
            ? $"emoji must be at most {ChatLimits.MaxEmojiBytes} bytes."
            : TextRules.CheckStorable("emoji", emoji);
    }

    public static string? CheckClientMessageId(string? clientMessageId) =>
        clientMessageId is { Length: > ChatLimits.MaxClientMessageIdLength }
            ? $"clientMessageId must be at most {ChatLimits.MaxClientMessageIdLength} characters."
            : TextRules.CheckStorable("clientMessageId", clientMessageId);

    /// <summary><c>replyTo</c> is "" or a message id.</summary>
    public static bool TryParseReplyTo(string? replyTo, out Guid? messageId)
    {
        messageId = null;
        if (string.IsNullOrWhiteSpace(replyTo))
        {
            return true;
        }

        if (Guid.TryParse(replyTo, out var id))
        {
            messageId = id;
            return true;
        }

        return false;
    }
}
