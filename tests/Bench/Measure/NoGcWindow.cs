using System.Runtime;

namespace SafeGram.Bench.Measure;

/// <summary>
/// Keeps this tool's own garbage collector out of a measured window. The load generator timestamps each frame when it
/// reads it, so a collection of its own (tens of ms on the shared cores) would be added to every delivery in flight,
/// though no server was slower. A no-GC region reserves the window's allocations up front; if they outgrow it, the
/// runtime collects as usual and <see cref="End"/> says so.
/// </summary>
internal sealed class NoGcWindow
{
    private static readonly long[] BudgetsMb = [512, 256, 128, 64];

    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes();
    private readonly int _collectionsAtStart = GC.CollectionCount(0);

    private NoGcWindow(long budgetMb) => BudgetMb = budgetMb;

    /// <summary>The region's size; 0 when the runtime granted none.</summary>
    public long BudgetMb { get; }

    public static NoGcWindow Start()
    {
        foreach (var budget in BudgetsMb)
        {
            try
            {
                if (GC.TryStartNoGCRegion(budget * 1024 * 1024))
                {
                    return new NoGcWindow(budget);
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                // More than this runtime's ephemeral space allows: try a smaller region.
            }
        }

        return new NoGcWindow(0);
    }

    /// <summary>Ends the region: the window's allocations in MB and whether it went without a collection.</summary>
    public (double AllocatedMb, bool HeldWithoutGc) End()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }

        var allocatedMb = (GC.GetTotalAllocatedBytes() - _allocatedAtStart) / (1024.0 * 1024);
        return (Math.Round(allocatedMb, 1), BudgetMb > 0 && GC.CollectionCount(0) == _collectionsAtStart);
    }
}
