using System.Runtime.CompilerServices;

namespace Derogation.Tests.Infrastructure;

internal static class TestRunSetup
{
    /// <summary>
    /// Like Program.cs: PDFsharp's licence is chosen by the program, here the test assembly, so that receipts and
    /// letters can be rendered without a web host.
    /// </summary>
    [ModuleInitializer]
    internal static void ChoosePdfLicence() => PdfSharp.PdfSharpLicense.SetAgplLicense();
}
