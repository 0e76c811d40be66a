using System.Net;
using System.Net.Sockets;
using System.Text;
using Derogation.Core.Notifications;
using MimeKit;

namespace Derogation.Tests.Platform;

/// <summary>
/// The SMTP path production uses (MailKit), against a small SMTP server the test runs on a loopback port: the message
/// arrives whole, attachment included; asked for TLS, a server that cannot do it gets nothing in clear.
/// </summary>
public sealed class SmtpTests
{
    /// <summary>Speaks just enough SMTP (no STARTTLS, no authentication) to receive one message.</summary>
    private sealed class OneMessageServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task<string?> _received;

        public OneMessageServer()
        {
            _listener.Start();
            _received = ReceiveAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>The DATA of the message, or null when the client left without sending one.</summary>
        public Task<string?> Received => _received;

        private async Task<string?> ReceiveAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test SMTP");
            string? data = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                var command = line.Split(' ')[0].ToUpperInvariant();
                switch (command)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        var message = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } body && body != ".")
                        {
                            message.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                        }

                        data = message.ToString();
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return data;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }

            return data;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _received;
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                // The client went away: nothing more to read.
            }
        }
    }

    [Fact]
    public async Task AMessageSentOverSmtp_ArrivesWhole_WithItsAttachment()
    {
        await using var server = new OneMessageServer();
        var sender = new SmtpMailSender(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpUseTls = false });
        var letter = Encoding.ASCII.GetBytes("%PDF-1.7 lettre");

        await sender.SendAsync(new MailMessageToSend("dr.fontaine@chu.example", "Copie d'une décision de l'ANSM — demande DIV-2026-00042",
            "Madame, Monsieur,\n\nVous trouverez ci-joint la décision.", [new MailAttachment("decision-DIV-2026-00042.pdf", "application/pdf", letter)]));

        var data = await server.Received;
        Assert.NotNull(data);
        using var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(data)));
        Assert.Equal("Copie d'une décision de l'ANSM — demande DIV-2026-00042", message.Subject);
        Assert.Equal("dr.fontaine@chu.example", message.To.Mailboxes.Single().Address);
        Assert.Equal("ne-pas-repondre@derogations.ansm.sante.fr", message.From.Mailboxes.Single().Address);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("decision-DIV-2026-00042.pdf", attachment.FileName);
        using var content = new MemoryStream();
        attachment.Content!.DecodeTo(content);
        Assert.Equal(letter, content.ToArray());
    }

    [Fact]
    public async Task AskedForTls_AServerWithoutIt_GetsNothingInClear()
    {
        await using var server = new OneMessageServer();
        var sender = new SmtpMailSender(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpUseTls = true });

        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(new MailMessageToSend("dr.fontaine@chu.example", "Objet", "Texte")));
        await server.DisposeAsync();
        Assert.Null(await server.Received);
    }
}
