using SafeGram.Grains.Abstractions.Realtime;
using System.Collections.Immutable;
using System.Diagnostics;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

internal sealed partial class ChatGrain
{
    public async Task<ChatResult<ImmutableArray<ChatMessage>>> GetMessagesAsync(Guid callerId, MessageQuery query)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        var limit = Math.Clamp(query.Limit, 1, ChatLimits.MaxPageSize);
        if (query.SinceVersion is { } sinceVersion)
        {
            return ChatResult.Ok<ImmutableArray<ChatMessage>>(sinceVersion >= _version
                ? []
                : [.. await log.GetChangedSinceAsync(ChatId, sinceVersion, limit, CancellationToken.None)]);
        }

        if (query.AfterSeq is { } afterSeq)
        {
            var page = _window.TryGetAfter(afterSeq, limit)
                ?? await log.GetAfterAsync(ChatId, afterSeq, limit, CancellationToken.None);
            return ChatResult.Ok<ImmutableArray<ChatMessage>>([.. page]);
        }

        var beforeSeq = _lastSeq + 1;
        if (query.BeforeMessageId is { } beforeId)
        {
            if (await FindAsync(beforeId) is not { } cursor)
            {
                return ChatFailure.Invalid("before must be a message of this chat.");
            }

            beforeSeq = cursor.Seq;
        }

        return ChatResult.Ok<ImmutableArray<ChatMessage>>([.. await PageBeforeAsync(beforeSeq, limit)]);
    }

    public async Task<ChatResult<NewestPage>> GetNewestPageAsync(Guid callerId, int limit, long knownVersion)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        if (knownVersion == _version)
        {
            return ChatResult.Ok(new NewestPage(_version, null));
        }

        var newest = await PageBeforeAsync(_lastSeq + 1, Math.Clamp(limit, 1, ChatLimits.MaxPageSize));
        return ChatResult.Ok(new NewestPage(_version, [.. newest]));
    }

    /// <summary>Up to <paramref name="limit"/> messages before <paramref name="beforeSeq"/>: from memory when the window holds them.</summary>
    private async Task<IReadOnlyList<ChatMessage>> PageBeforeAsync(long beforeSeq, int limit) =>
        _window.TryGetBefore(beforeSeq, limit) ?? await log.GetBeforeAsync(ChatId, beforeSeq, limit, CancellationToken.None);

    public async Task<ChatResult<ChatMessage>> PostAsync(PostMessage command)
    {
        var started = Stopwatch.GetTimestamp();
        if (Authorize(command.SenderId) is { } failure)
        {
            return failure;
        }

        if (Chat.Type == ChatType.Channel && !IsModerator(command.SenderId))
        {
            return ChatFailure.Forbidden("Only the owner and admins post in a channel.");
        }

        if (command.ClientMessageId is { } clientId && _window.FindByClientId(command.SenderId, clientId) is { } retried)
        {
            return ChatResult.Ok(retried);
        }

        if (command.ReplyTo is { } replyTo && await FindAsync(replyTo) is null)
        {
            return ChatFailure.Invalid("replyTo must be a message of this chat.");
        }

        // Time-ordered ids (UUIDv7, stamped with the message's own time): inserts into the log's unique index on id land
        // on its rightmost pages, which stay cached, instead of on a random page of an index that grows with all history.
        var createdAt = Now();
        var message = new ChatMessage(
            Guid.CreateVersion7(createdAt), ChatId, _lastSeq + 1, command.SenderId, Chat.Members[command.SenderId].Username,
            command.Text, createdAt, EditedAt: null, DeletedAt: null, command.ReplyTo, command.ClientMessageId, _version + 1,
            Reactions: []);

        if (!await WriteAsync(() => log.InsertAsync(message, CancellationToken.None)))
        {
            // The sender retried a send whose first attempt committed but is no longer in the window.
            return ChatResult.Ok((await log.FindByClientIdAsync(ChatId, command.SenderId, command.ClientMessageId!, CancellationToken.None))!);
        }

        _lastSeq = message.Seq;
        _version = message.Version;
        _window.Append(message);
        SafeGramMetrics.MessagesSent.Add(1);
        SafeGramMetrics.SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        PublishToMembers(new MessagePosted(message));
        return ChatResult.Ok(message);
    }

    public async Task<ChatResult<ChatMessage>> EditAsync(Guid callerId, Guid messageId, string text)
    {
        if (await FindLiveMessageAsync(callerId, messageId) is not { } found)
        {
            return FailureFor(callerId, messageId);
        }

        if (found.SenderId != callerId)
        {
            return ChatFailure.Forbidden("Only the sender may edit a message.");
        }

        var edited = found with { Text = text, EditedAt = Now(), Version = _version + 1 };
        await WriteAsync(() => log.UpdateAsync(edited, CancellationToken.None));
        Commit(edited);
        PublishToMembers(new MessageEdited(edited));
        return ChatResult.Ok(edited);
    }

    public async Task<ChatResult<ChatMessage>> DeleteAsync(Guid callerId, Guid messageId)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        if (await FindAsync(messageId) is not { } found)
        {
            return ChatFailure.NotFound;
        }

        if (found.SenderId != callerId && !IsModerator(callerId))
        {
            return ChatFailure.Forbidden("Only the sender, the owner or an admin may delete a message.");
        }

        if (found.IsDeleted)
        {
            return ChatResult.Ok(found);
        }

        var tombstone = found with { Text = "", DeletedAt = Now(), Reactions = [], Version = _version + 1 };
        await WriteAsync(() => log.UpdateAsync(tombstone, CancellationToken.None));
        Commit(tombstone);
        PublishToMembers(new MessageDeleted(ChatId, tombstone.Id, tombstone.Version));
        return ChatResult.Ok(tombstone);
    }

    public async Task<ChatResult<ReactionChange>> ReactAsync(Guid callerId, Guid messageId, string emoji)
    {
        if (await FindLiveMessageAsync(callerId, messageId) is not { } found)
        {
            return FailureFor(callerId, messageId);
        }

        var previous = found.Reactions.FirstOrDefault(r => r.UserId == callerId);
        var removing = previous?.Emoji == emoji;
        var reaction = new MessageReaction(callerId, emoji, Now());
        var reactions = found.Reactions.RemoveAll(r => r.UserId == callerId);
        var updated = found with
        {
            Reactions = removing ? reactions : reactions.Add(reaction),
            Version = _version + 1,
        };

        await WriteAsync(() => log.SetReactionAsync(found, callerId, removing ? null : reaction, updated.Version, CancellationToken.None));
        Commit(updated);
        var change = new ReactionChange(messageId, callerId, emoji, removing ? previous!.CreatedAt : reaction.CreatedAt, removing, updated.Version);
        PublishToMembers(new ReactionChanged(ChatId, change));
        return ChatResult.Ok(change);
    }

    public async Task<ChatResult<long>> MarkReadAsync(Guid callerId, long? upToSeq)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        var current = _readMarkers.GetValueOrDefault(callerId);
        var target = Math.Min(upToSeq ?? _lastSeq, _lastSeq);
        if (target <= current)
        {
            return ChatResult.Ok(current);
        }

        await log.SaveReadMarkerAsync(ChatId, callerId, target, CancellationToken.None);
        _readMarkers[callerId] = target;
        return ChatResult.Ok(target);
    }

    private async Task<ChatMessage?> FindAsync(Guid messageId) =>
        _window.Find(messageId) ?? await log.FindAsync(ChatId, messageId, CancellationToken.None);

    /// <summary>The undeleted message when the caller is a member; <c>null</c> otherwise (see <see cref="FailureFor"/>).</summary>
    private async Task<ChatMessage?> FindLiveMessageAsync(Guid callerId, Guid messageId) =>
        Authorize(callerId) is null && await FindAsync(messageId) is { IsDeleted: false } found ? found : null;

    private ChatFailure FailureFor(Guid callerId, Guid messageId) => Authorize(callerId) ?? ChatFailure.NotFound;

    private void Commit(ChatMessage changed)
    {
        _version = changed.Version;
        _window.Replace(changed);
    }

    /// <summary>
    /// A failed write may still have committed (a timeout after the commit), so the in-memory counters
    /// can no longer be trusted: the activation is dropped and the next call reloads them from the log.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private Task WriteAsync(Func<Task> write) => WriteAsync(async () =>
    {
        await write();
        return true;
    });
}
