using System.Text;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// A real, well-formed PDF of exactly the length asked for, generated as it is read: one empty page and one large
/// stream object of filler, with a correct cross-reference table — so that a 100 MB upload goes through every check
/// (antivirus, strict PDF parsing) without the test or the benchmark ever holding it. Also compiled into the
/// benchmark tool.
/// </summary>
public sealed class GeneratedPdf : Stream
{
    private readonly byte[] _head;
    private readonly long _fillerLength;
    private readonly byte[] _tail;
    private long _position;

    public GeneratedPdf(long length)
    {
        const string objects =
            "%PDF-1.4\n" +
            "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
            "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
            "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n";
        var offsets = new List<long> { objects.IndexOf("1 0 obj", StringComparison.Ordinal), objects.IndexOf("2 0 obj", StringComparison.Ordinal), objects.IndexOf("3 0 obj", StringComparison.Ordinal), objects.Length };
        const string suffix = "\nendstream\nendobj\n";
        // The filler's length and the offsets' digits depend on each other: settle them in a few rounds.
        long filler = length - objects.Length;
        string head = "", tail = "";
        for (var round = 0; round < 8; round++)
        {
            head = objects + $"4 0 obj\n<< /Length {filler} >>\nstream\n";
            var xrefAt = head.Length + filler + suffix.Length;
            var xref = new StringBuilder("xref\n0 5\n0000000000 65535 f \n");
            foreach (var offset in offsets)
            {
                xref.Append($"{offset:D10} 00000 n \n");
            }

            tail = suffix + xref + $"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xrefAt}\n%%EOF\n";
            filler = length - head.Length - tail.Length;
        }

        _head = Encoding.ASCII.GetBytes(head);
        _fillerLength = filler;
        _tail = Encoding.ASCII.GetBytes(tail);
        Length = _head.Length + _fillerLength + _tail.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; }
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, Length - _position);
        for (var i = 0; i < n; i++)
        {
            var at = _position + i;
            buffer[offset + i] = at < _head.Length ? _head[at]
                : at < _head.Length + _fillerLength ? (byte)('A' + (at % 26))
                : _tail[at - _head.Length - _fillerLength];
        }

        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
