using System.Text.Json.Serialization;

namespace SafeGram.Gateway.Serialization;

internal static class JsonExtensions
{
    /// <summary>camelCase, compact, optional members omitted, timestamps in the contract's form.</summary>
    public static IServiceCollection AddSafeGramJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            options.SerializerOptions.Converters.Add(new UtcTimestampConverter());
        });
}
