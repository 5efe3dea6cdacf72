using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafeGram.Gateway.Contracts;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Caching;

/// <summary>
/// The response body of each hot chat's newest page, as JSON, tagged with the chat version it shows. Opening a chat
/// is the most common read; when the chat has not changed, its grain answers with the version alone and this copy
/// is sent, instead of copying and serializing the same messages again for every reader.
/// </summary>
internal sealed class NewestPageCache(IOptions<JsonOptions> json, int capacity = NewestPageCache.DefaultCapacity)
{
    // Bodies are ≤ ~30 KB (100 messages), so the cache stays within a few megabytes.
    public const int DefaultCapacity = 256;

    /// <summary>A version no chat has: asking with it always returns the messages.</summary>
    public const long NoVersion = -1;

    private readonly ConcurrentDictionary<(Guid ChatId, int Limit), CachedPage> _pages = new();

    /// <summary>The version of the copy held, or <see cref="NoVersion"/>.</summary>
    public long VersionOf(Guid chatId, int limit) => _pages.TryGetValue((chatId, limit), out var page) ? page.Version : NoVersion;

    /// <summary>The body to send for <paramref name="page"/>, from the copy held when the grain sent no messages.</summary>
    public byte[]? BodyFor(Guid chatId, int limit, NewestPage page)
    {
        if (page.Messages is not { } messages)
        {
            return _pages.TryGetValue((chatId, limit), out var held) && held.Version == page.Version ? held.Body : null;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(MessagesResponse.From(messages), json.Value.SerializerOptions);
        Store((chatId, limit), new CachedPage(page.Version, body));
        return body;
    }

    private void Store((Guid, int) key, CachedPage page)
    {
        if (_pages.Count >= capacity && !_pages.ContainsKey(key))
        {
            // Any one entry makes room; a chat read often is back on its next read.
            foreach (var victim in _pages.Keys)
            {
                _pages.TryRemove(victim, out _);
                break;
            }
        }

        // Concurrent readers may race; the newer version wins.
        _pages.AddOrUpdate(key, page, (_, held) => held.Version > page.Version ? held : page);
    }

    private sealed record CachedPage(long Version, byte[] Body);
}
