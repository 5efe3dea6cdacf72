using System.Net;
using System.Text;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Http;

/// <summary>Contract errors for malformed traffic, CORS, and health — never a 500.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class HttpSurfaceTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("GET", "/")]
    [InlineData("POST", "/api/auth/nothing")]
    public async Task UnknownRoute_Is404NotFound(string method, string path)
    {
        var (status, body) = await _api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"username\": 42, \"password\": \"password1\"}")]
    [InlineData("")]
    public async Task MalformedBody_Is400WithDetail(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };

        var (status, body) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task NonJsonContentType_Is400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent("username=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var (status, body) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var padding = new string('x', 70 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = new StringContent($"{{\"username\":\"{padding}\"}}", Encoding.UTF8, "application/json"),
        };

        var (status, body) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("payload_too_large", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Preflight_FromAllowedOrigin_Is204WithHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/users/me");
        request.Headers.Add("Origin", TestOrigins.Allowed);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await _api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(TestOrigins.Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
        Assert.Contains("content-type", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_FromForeignOrigin_IsNotAllowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/users/me");
        request.Headers.Add("Origin", TestOrigins.Foreign);
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await _api.Http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_IsOk(string path)
    {
        var (status, body) = await _api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
    }
}
