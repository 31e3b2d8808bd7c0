using System.Buffers.Binary;
using System.Text;

namespace DiffusionFunctions.Training.Networks;

/// <summary>
/// Makes TorchSharp-cpu 0.107.0 load on Debian 12. Its <c>libLibTorchSharp.so</c> was built with GCC 13 and lists
/// <c>GLIBCXX_3.4.32</c> as a needed version only for <c>std::ios_base_library_init</c>, a symbol GCC 13's
/// <c>&lt;iostream&gt;</c> references without calling (no relocation uses it); Debian 12's libstdc++ stops at 3.4.30,
/// so the loader refuses the file. This copies the native files into the <c>cpu/</c> folder TorchSharp loads from
/// (as TorchSharp's own fallback would) and marks that one version requirement weak (<c>VER_FLG_WEAK</c> in its
/// <c>Vernaux</c> entry), which glibc treats as non-fatal. Nothing else in the file changes.
/// </summary>
public static class TorchNativeSetup
{
    private const ushort VersionFlagWeak = 0x2;
    private static readonly object Gate = new();
    private static bool done;

    /// <summary>Prepares the native folder once per process; call before the first TorchSharp call.</summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (done || !OperatingSystem.IsLinux())
            {
                return;
            }

            var target = Path.Combine(AppContext.BaseDirectory, "cpu");
            var library = Path.Combine(target, "libLibTorchSharp.so");
            if (!File.Exists(library))
            {
                var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
                var torchSharp = Path.Combine(packages, "torchsharp", typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3), "runtimes", "linux-x64", "native");
                var libTorch = Directory.GetDirectories(Path.Combine(packages, "libtorch-cpu-linux-x64"))
                    .Select(d => Path.Combine(d, "runtimes", "linux-x64", "native"))
                    .Where(Directory.Exists)
                    .Order(StringComparer.Ordinal)
                    .LastOrDefault() ?? throw new DirectoryNotFoundException($"No libtorch-cpu-linux-x64 package under {packages}.");
                Directory.CreateDirectory(target);
                foreach (var file in Directory.GetFiles(libTorch).Concat(Directory.GetFiles(torchSharp)))
                {
                    var destination = Path.Combine(target, Path.GetFileName(file));
                    var temporary = destination + "." + Environment.ProcessId + ".tmp";
                    File.Copy(file, temporary, overwrite: true);
                    File.Move(temporary, destination, overwrite: true);
                }
            }

            MarkVersionWeak(library, "GLIBCXX_3.4.32");
            done = true;
        }
    }

    /// <summary>Sets <c>VER_FLG_WEAK</c> on every needed-version entry named <paramref name="version"/>; returns how many changed.</summary>
    public static int MarkVersionWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (bytes.Length < 64 || bytes[0] != 0x7F || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a little-endian ELF64 file.");
        }

        var sectionOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        var changed = 0;
        for (var i = 0; i < sectionCount; i++)
        {
            var header = span[(int)(sectionOffset + (i * sectionSize))..];
            const uint ShtGnuVerneed = 0x6ffffffe;
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(span[(int)(sectionOffset + (link * sectionSize) + 0x18)..]);
            var entry = offset;
            while (true)
            {
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(entry + 2)..]);
                var aux = entry + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(entry + 8)..]);
                for (var a = 0; a < auxCount; a++)
                {
                    var nameOffset = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 8)..]);
                    var end = Array.IndexOf(bytes, (byte)0, nameOffset);
                    if (Encoding.ASCII.GetString(bytes, nameOffset, end - nameOffset) == version)
                    {
                        var flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(aux + 4)..]);
                        if ((flags & VersionFlagWeak) == 0)
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(span[(aux + 4)..], (ushort)(flags | VersionFlagWeak));
                            changed++;
                        }
                    }

                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 12)..]);
                }

                var next = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(entry + 12)..]);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        if (changed > 0)
        {
            var temporary = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }

        return changed;
    }
}
