using System.Threading.Tasks.Sources;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// A socket's bounded queue of frames to send: many writers (grain observer calls), one reader (the socket's sender).
/// Every socket has one, and most sockets sit idle, so it is kept small: a buffer of four frames at most while idle,
/// and the reader's wait reuses this object instead of allocating (a bounded <c>Channel</c> held ~0.8 KB per socket).
/// </summary>
internal sealed class OutboundQueue(int capacity) : IValueTaskSource<bool>
{
    private const int InitialBuffer = 4;

    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
    private byte[][]? _frames;
    private int _head;
    private int _count;
    private bool _completed;
    private bool _readerWaiting;

    /// <summary>Queues a frame; <c>false</c> when the queue is full or completed.</summary>
    public bool TryWrite(byte[] frame)
    {
        lock (_gate)
        {
            if (_completed || _count == capacity)
            {
                return false;
            }

            EnsureRoom();
            _frames![(_head + _count) % _frames.Length] = frame;
            _count++;
            if (!TakeWaitingReader())
            {
                return true;
            }
        }

        _wake.SetResult(true);
        return true;
    }

    /// <summary>No more frames will be written; the reader still gets those already queued.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            if (!TakeWaitingReader())
            {
                return;
            }
        }

        _wake.SetResult(false);
    }

    /// <summary>Takes the oldest frame, if any.</summary>
    public bool TryRead(out byte[] frame)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                frame = [];
                return false;
            }

            frame = _frames![_head];
            _frames[_head] = null!;
            _head = (_head + 1) % _frames.Length;
            _count--;
            if (_count == 0)
            {
                _head = 0;
                // After a burst the grown buffer goes: quiet follows a burst far more often than another burst does.
                if (_frames.Length > InitialBuffer)
                {
                    _frames = null;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// <c>true</c> once a frame can be read; <c>false</c> when the queue is completed and empty. One reader only, and
    /// only after its previous wait finished.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_gate)
        {
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _wake.Reset();
            _readerWaiting = true;
            return new ValueTask<bool>(this, _wake.Version);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _wake.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wake.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wake.OnCompleted(continuation, state, token, flags);

    private bool TakeWaitingReader()
    {
        var waiting = _readerWaiting;
        _readerWaiting = false;
        return waiting;
    }

    private void EnsureRoom()
    {
        if (_frames is null)
        {
            _frames = new byte[Math.Min(InitialBuffer, capacity)][];
            return;
        }

        if (_count < _frames.Length)
        {
            return;
        }

        var grown = new byte[Math.Min(_frames.Length * 2, capacity)][];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _frames[(_head + i) % _frames.Length];
        }

        _frames = grown;
        _head = 0;
    }
}
