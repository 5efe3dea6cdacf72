namespace SafeGram.Grains.Users;

/// <summary>A stable default accent colour per user, so avatars differ before anyone customises them.</summary>
internal static class ProfileColors
{
    private static readonly string[] Palette =
        ["#e17076", "#faa774", "#a695e7", "#7bc862", "#6ec9cb", "#65aadd", "#ee7aae", "#c9a03b"];

    public static string For(Guid userId) => Palette[(uint)userId.GetHashCode() % Palette.Length];
}
