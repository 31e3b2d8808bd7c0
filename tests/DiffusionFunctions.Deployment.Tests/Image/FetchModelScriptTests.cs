using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace DiffusionFunctions.Deployment.Tests.Image;

/// <summary>
/// infra/worker/fetch-model.sh against a local stand-in for the Container Apps identity endpoint and blob storage
/// (loopback only): it downloads with a bearer token, verifies SHA-256 against the manifest, and refuses anything else.
/// </summary>
public sealed class FetchModelScriptTests : IDisposable
{
    private const string IdentityHeader = "test-identity-header";
    private const string Token = "test-access-token";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("dfx-fetch-model-");
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly HttpListener _listener = new();
    private readonly string _baseUrl;
    private readonly Task _serving;

    public FetchModelScriptTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _baseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_baseUrl);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    [Fact]
    public void Downloads_and_verifies_every_file_of_the_manifest()
    {
        var index = "{\"_class_name\":\"StableDiffusionPipeline\"}"u8.ToArray();
        var unet = RandomNumberGenerator.GetBytes(4096);
        Publish(("model_index.json", index, index), ("unet/model.onnx", unet, unet));

        var (exit, output) = Run(IdentityHeader);

        Assert.True(exit == 0, output);
        Assert.Equal(index, File.ReadAllBytes(Path.Combine(ModelDir, "model_index.json")));
        Assert.Equal(unet, File.ReadAllBytes(Path.Combine(ModelDir, "unet", "model.onnx")));
        Assert.Contains("2 files verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_does_not_match_its_checksum_stops_the_start()
    {
        var index = "{}"u8.ToArray();
        var unet = RandomNumberGenerator.GetBytes(4096);
        var tampered = (byte[])unet.Clone();
        tampered[100] ^= 0xFF;
        Publish(("model_index.json", index, index), ("unet/model.onnx", unet, tampered));

        var (exit, output) = Run(IdentityHeader);

        Assert.NotEqual(0, exit);
        Assert.Contains("checksum mismatch for unet/model.onnx", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(ModelDir, "unet", "model.onnx")));
        Assert.False(File.Exists(Path.Combine(ModelDir, "unet", "model.onnx.part")));
    }

    [Fact]
    public void A_manifest_path_that_leaves_the_model_folder_is_refused()
    {
        var evil = "x"u8.ToArray();
        Publish(("../outside.txt", evil, evil));

        var (exit, output) = Run(IdentityHeader);

        Assert.NotEqual(0, exit);
        Assert.Contains("not allowed", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_work.FullName, "outside.txt")));
    }

    [Fact]
    public void Without_a_managed_identity_token_nothing_is_downloaded()
    {
        var index = "{}"u8.ToArray();
        Publish(("model_index.json", index, index));

        var (exit, output) = Run("wrong-header");

        Assert.NotEqual(0, exit);
        Assert.Contains("no token", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(ModelDir, "model_index.json")));
    }

    public void Dispose()
    {
        // Close alone: on Linux, Stop already unregisters the prefix and a Close after it registers the port again to
        // unregister it, which fails with "Address already in use" once another process has taken that port.
        _listener.Close();
        _ = _serving.Exception;
        _work.Delete(recursive: true);
    }

    private string ModelDir => Path.Combine(_work.FullName, "model");

    /// <summary>Serves files (path, bytes listed in the manifest, bytes actually served) and their SHA256SUMS.</summary>
    private void Publish(params (string Path, byte[] Listed, byte[] Served)[] files)
    {
        var manifest = new StringBuilder();
        foreach (var (path, listed, served) in files)
        {
            manifest.Append(Convert.ToHexStringLower(SHA256.HashData(listed))).Append("  ").Append(path).Append('\n');
            _blobs["/models/m/" + path] = served;
        }

        _blobs["/models/m/SHA256SUMS"] = Encoding.ASCII.GetBytes(manifest.ToString());
    }

    private (int Exit, string Output) Run(string identityHeader)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.File("infra", "worker", "fetch-model.sh"));
        start.Environment["MODEL_SOURCE_URL"] = _baseUrl + "models/m";
        start.Environment["MODEL_DIR"] = ModelDir;
        start.Environment["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-000000000001";
        start.Environment["IDENTITY_ENDPOINT"] = _baseUrl + "identity";
        start.Environment["IDENTITY_HEADER"] = identityHeader;
        // Loopback only, never through a proxy of the machine.
        start.Environment["NO_PROXY"] = "127.0.0.1";
        start.Environment.Remove("http_proxy");
        start.Environment.Remove("HTTP_PROXY");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("fetch-model.sh did not finish in 2 minutes.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var request = context.Request;
            var response = context.Response;
            var path = request.Url!.AbsolutePath;
            byte[] body = [];
            if (path == "/identity")
            {
                var ok = request.Headers["X-IDENTITY-HEADER"] == IdentityHeader && request.QueryString["resource"] == "https://storage.azure.com/";
                response.StatusCode = ok ? 200 : 401;
                body = ok ? Encoding.UTF8.GetBytes($"{{\"access_token\": \"{Token}\", \"expires_on\": \"0\"}}") : [];
            }
            else if (request.Headers["Authorization"] != "Bearer " + Token || request.Headers["x-ms-version"] is null)
            {
                response.StatusCode = 403;
            }
            else if (_blobs.TryGetValue(path, out var blob))
            {
                body = blob;
            }
            else
            {
                response.StatusCode = 404;
            }

            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
    }
}
