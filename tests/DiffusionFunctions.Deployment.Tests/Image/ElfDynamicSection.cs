using System.Buffers.Binary;
using System.Text;

namespace DiffusionFunctions.Deployment.Tests.Image;

/// <summary>
/// Reads the DT_NEEDED entries of a 64-bit little-endian ELF shared object, as <c>readelf -d</c> lists them: the
/// SHT_DYNAMIC section's entries with tag 1, each naming a string in the section its sh_link points at (.dynstr).
/// ELF-64 Object File Format, sections "ELF Header", "Sections" and "Dynamic Section".
/// </summary>
internal static class ElfDynamicSection
{
    private const uint ShtDynamic = 6;
    private const long DtNull = 0;
    private const long DtNeeded = 1;

    public static IReadOnlyList<string> Needed(string path)
    {
        using var file = File.OpenRead(path);
        var header = Read(file, 0, 64);
        if (!header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || header[4] != 2 || header[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var sectionHeaders = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(0x28));
        var sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3A));
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3C));
        var sections = Read(file, sectionHeaders, sectionHeaderSize * sectionCount);

        for (var i = 0; i < sectionCount; i++)
        {
            var section = sections.AsSpan(i * sectionHeaderSize, sectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(section[4..]) != ShtDynamic)
            {
                continue;
            }

            var dynamic = Read(file, BinaryPrimitives.ReadInt64LittleEndian(section[0x18..]), (int)BinaryPrimitives.ReadInt64LittleEndian(section[0x20..]));
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[0x28..]);
            var strings = sections.AsSpan(link * sectionHeaderSize, sectionHeaderSize);
            var table = Read(file, BinaryPrimitives.ReadInt64LittleEndian(strings[0x18..]), (int)BinaryPrimitives.ReadInt64LittleEndian(strings[0x20..]));

            var needed = new List<string>();
            for (var offset = 0; offset + 16 <= dynamic.Length; offset += 16)
            {
                var tag = BinaryPrimitives.ReadInt64LittleEndian(dynamic.AsSpan(offset));
                if (tag == DtNull)
                {
                    break;
                }

                if (tag == DtNeeded)
                {
                    var start = (int)BinaryPrimitives.ReadInt64LittleEndian(dynamic.AsSpan(offset + 8));
                    var end = Array.IndexOf(table, (byte)0, start);
                    needed.Add(Encoding.ASCII.GetString(table, start, end - start));
                }
            }

            return needed;
        }

        throw new InvalidDataException($"{path} has no dynamic section.");
    }

    private static byte[] Read(FileStream file, long offset, int count)
    {
        var buffer = new byte[count];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }
}
