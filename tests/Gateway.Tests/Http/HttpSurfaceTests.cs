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
    [InlineData("{not json", "The body is not valid JSON (line 1, byte 2).")]
    [InlineData("[1,2,3]", "The body must be a JSON object.")]
    [InlineData("{\"username\": 42, \"password\": \"password1\"}", "'username' has the wrong type or an invalid value.")]
    [InlineData("", "The request needs a JSON body.")]
    [InlineData("null", "The body must be a JSON object.")]
    [InlineData("{\"username\": \"a\\ud800b\", \"password\": \"password1\"}", "'username' has the wrong type or an invalid value.")]
    public async Task MalformedBody_Is400WithADetailInTheRequestsOwnTerms(string json, string detail)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };

        var (status, body) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongTypeInsideAList_NamesTheElement()
    {
        var alice = await _api.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chats")
        {
            Content = new StringContent("{\"type\":\"group\",\"name\":\"g\",\"memberIds\":[\"not-an-id\"]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", alice.Token);

        var (status, body) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'memberIds[0]' has the wrong type or an invalid value.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WrongMethod_Is405WithADetailNamingWhatThePathAccepts()
    {
        var (status, body) = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/chats"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("DELETE is not allowed on this path", detail, StringComparison.Ordinal);
        Assert.Contains("POST", detail, StringComparison.Ordinal);
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
    public async Task CrossOriginResponse_LetsTheWebAppReadRetryAfter()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.Add("Origin", TestOrigins.Allowed);

        using var response = await _api.Http.SendAsync(request);

        Assert.Equal(TestOrigins.Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var exposed = string.Join(',', response.Headers.GetValues("Access-Control-Expose-Headers")).ToLowerInvariant();
        Assert.Contains("retry-after", exposed, StringComparison.Ordinal);
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
