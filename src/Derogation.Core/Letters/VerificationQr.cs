using QRCoder;

namespace Derogation.Core.Letters;

/// <summary>The QR code of a letter's verification address: a printed letter can be checked with a phone.</summary>
public static class VerificationQr
{
    /// <summary>Its modules, dark = true, quiet zone included (medium error correction: a creased or stamped letter still reads).</summary>
    public static bool[,] Modules(string address)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(address, QRCodeGenerator.ECCLevel.M);
        var rows = data.ModuleMatrix;
        var modules = new bool[rows.Count, rows.Count];
        for (var row = 0; row < rows.Count; row++)
        {
            for (var column = 0; column < rows.Count; column++)
            {
                modules[row, column] = rows[row][column];
            }
        }

        return modules;
    }
}
