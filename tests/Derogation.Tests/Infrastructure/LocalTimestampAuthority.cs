using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// A real RFC 3161 timestamp authority for the tests: a CA and a TSA certificate made with openssl, and an HTTP
/// endpoint on loopback that answers each query with <c>openssl ts -reply</c>.
/// </summary>
public sealed class LocalTimestampAuthority : IAsyncDisposable
{
    private readonly WebApplication _server;

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.pem");

    public Uri Address { get; }

    public int Queries { get; private set; }

    private LocalTimestampAuthority(string directory, WebApplication server, Uri address)
    {
        Directory = directory;
        _server = server;
        Address = address;
    }

    public static async Task<LocalTimestampAuthority> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"derogation-tsa-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "tsa.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "serial"), "01\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "tsa.cnf"), $"""
            [ tsa ]
            default_tsa = local
            [ local ]
            dir = {directory}
            serial = $dir/serial
            crypto_device = builtin
            signer_cert = $dir/tsa.pem
            certs = $dir/tsa.pem
            signer_key = $dir/tsa.key
            signer_digest = sha256
            default_policy = 1.2.3.4.1
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256
            """);
        await OpenSslAsync(directory, "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=Test-Root-CA");
        await OpenSslAsync(directory, "req -newkey rsa:2048 -nodes -keyout tsa.key -out tsa.csr -subj /CN=Test-TSA");
        await OpenSslAsync(directory, "x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tsa.pem -days 2 -extfile tsa.ext");

        LocalTimestampAuthority? authority = null;
        var gate = new SemaphoreSlim(1, 1);
        var (server, address) = await LoopbackServer.StartAsync("/tsa", app => app.MapPost("/tsa", async (HttpContext context) =>
        {
            await gate.WaitAsync();
            try
            {
                authority!.Queries++;
                var query = Path.Combine(directory, "query.tsq");
                var reply = Path.Combine(directory, "reply.tsr");
                await using (var file = File.Create(query))
                {
                    await context.Request.Body.CopyToAsync(file);
                }

                await OpenSslAsync(directory, $"ts -reply -config tsa.cnf -queryfile {query} -out {reply}");
                context.Response.ContentType = "application/timestamp-reply";
                await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(reply));
            }
            finally
            {
                gate.Release();
            }
        }));
        authority = new LocalTimestampAuthority(directory, server, address);
        return authority;
    }

    /// <summary>Runs openssl in the authority's folder; the standard output and error together.</summary>
    public static async Task<(int ExitCode, string Output)> RunOpenSslAsync(string directory, string arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl not found");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static async Task OpenSslAsync(string directory, string arguments)
    {
        var (exitCode, output) = await RunOpenSslAsync(directory, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments.Split(' ')[0]} failed: {output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
