using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Derogation.Core.Documents;

public enum ScanVerdict
{
    Clean,
    Infected,
    /// <summary>The scanner could not be reached or did not answer: the upload fails closed.</summary>
    Unavailable,
}

public sealed record ScanResult(ScanVerdict Verdict, string? Signature = null);

/// <summary>Configuration section "Antivirus": where clamd listens (TCP).</summary>
public sealed class AntivirusOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 3310;

    /// <summary>How long a scan may take before the upload is refused as "try again later".</summary>
    public int TimeoutSeconds { get; set; } = 120;
}

/// <summary>
/// Scans uploads with ClamAV's daemon over its INSTREAM protocol: the file is sent in length-prefixed chunks, a
/// zero-length chunk ends it, and clamd answers "stream: OK" or "stream: &lt;signature&gt; FOUND". Anything else —
/// no connection, a time-out, an error line — is <see cref="ScanVerdict.Unavailable"/>: nothing is accepted unscanned.
/// </summary>
public sealed class ClamdScanner(AntivirusOptions options)
{
    private const int ChunkBytes = 64 * 1024;

    public async Task<ScanResult> ScanAsync(Stream content, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(options.Host ?? "127.0.0.1", options.Port, timeout.Token);
            await using var stream = client.GetStream();
            await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), timeout.Token);
            content.Position = 0;
            var buffer = new byte[ChunkBytes + 4];
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(4, ChunkBytes), ChunkBytes, throwOnEndOfStream: false, timeout.Token);
                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                await stream.WriteAsync(buffer.AsMemory(0, read + 4), timeout.Token);
                if (read == 0)
                {
                    break;
                }
            }

            content.Position = 0;
            var answer = await ReadAnswerAsync(stream, timeout.Token);
            if (answer.EndsWith(" FOUND", StringComparison.Ordinal))
            {
                var signature = answer["stream: ".Length..^" FOUND".Length];
                return new ScanResult(ScanVerdict.Infected, signature);
            }

            return answer == "stream: OK" ? new ScanResult(ScanVerdict.Clean) : new ScanResult(ScanVerdict.Unavailable);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            content.Position = 0;
            return new ScanResult(ScanVerdict.Unavailable);
        }
    }

    /// <summary>clamd answers PING with PONG: the readiness check.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(options.Host ?? "127.0.0.1", options.Port, timeout.Token);
            await using var stream = client.GetStream();
            await stream.WriteAsync("zPING\0"u8.ToArray(), timeout.Token);
            return await ReadAnswerAsync(stream, timeout.Token) == "PONG";
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>clamd's answer to a z-command ends with a NUL byte.</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var answer = new List<byte>();
        var buffer = new byte[256];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            answer.AddRange(buffer.AsSpan(0, read));
            if (answer[^1] == 0)
            {
                answer.RemoveAt(answer.Count - 1);
                break;
            }
        }

        return Encoding.UTF8.GetString(answer.ToArray()).Trim();
    }
}
