#!/usr/bin/env python3
"""Independent reference implementation of the CLIP tokenizer (openai/CLIP clip/simple_tokenizer.py), standard library only.

It exists to produce the golden ids that tests/DiffusionFunctions.Diffusion.Tests/Tokenization checks the C# ClipTokenizer
against. It was written from the reference algorithm's definition, step by step:

  1. basic_clean: html.unescape applied twice, then str.strip()      (ftfy.fix_text is out of scope and NOT applied)
  2. whitespace_clean: runs of \\s become one space, then str.strip()
  3. str.lower()
  4. findall of  <\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+  (IGNORECASE)
  5. each match: UTF-8 bytes -> byte-level characters (bytes_to_unicode), then BPE with '</w>' on the last symbol,
     merging the lowest-ranked adjacent pair everywhere until none is ranked
  6. ids from the vocabulary: 256 byte symbols, the same with '</w>', one per merge (merges[1:49152-256-2+1] of the
     gzip file), '<|startoftext|>' = 49406, '<|endoftext|>' = 49407

The reference uses the third-party `regex` module for \\p{L}/\\p{N}; Python's `re` has no \\p{..}, so the character classes
are spelled out from unicodedata general categories (L*, N*) and matched with IGNORECASE like the reference (so U+0345,
a mark whose case variants are letters, counts as a letter), and \\s is the Unicode White_Space property (what `regex`
matches; `re`'s own \\s would also match U+001C..U+001F). Unicode data is this Python's (3.11: Unicode 14.0).

Usage:
  python3 tools/reference/clip_tokenizer_reference.py encode "a photo of a cat"
  python3 tools/reference/clip_tokenizer_reference.py golden  > tests/DiffusionFunctions.Diffusion.Tests/Tokenization/Data/clip_golden_ids.json
  python3 tools/reference/clip_tokenizer_reference.py fuzz 400 > tests/DiffusionFunctions.Diffusion.Tests/Tokenization/Data/clip_fuzz_ids.json
  python3 tools/reference/clip_tokenizer_reference.py decode-fuzz 300 > tests/DiffusionFunctions.Diffusion.Tests/Tokenization/Data/clip_decode_fuzz.json
The vocabulary is read from ../shared/data/clip/bpe_simple_vocab_16e6.txt.gz (relative to the repository root) unless
CLIP_BPE names another file.
"""
import gzip
import html
import json
import os
import random
import re
import sys
import unicodedata

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DEFAULT_BPE = os.path.join(REPO_ROOT, '..', 'shared', 'data', 'clip', 'bpe_simple_vocab_16e6.txt.gz')

START, END = '<|startoftext|>', '<|endoftext|>'

# Unicode White_Space (PropList.txt).
WHITE_SPACE = '\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000'


def byte_level_alphabet():
    """bytes_to_unicode: printable Latin-1 bytes stand for themselves, the remaining 68 bytes for U+0100 upwards.
    Returns (list of bytes in vocabulary order, dict byte -> character)."""
    printable = [b for b in range(256) if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF]
    others = [b for b in range(256) if b not in printable]
    mapping = {b: chr(b) for b in printable}
    for offset, b in enumerate(others):
        mapping[b] = chr(256 + offset)
    return printable + others, mapping


def category_class(prefix):
    """A regex character class body (ranges) for every code point whose general category starts with prefix."""
    ranges = []
    start = None
    for cp in range(0x110000):
        inside = unicodedata.category(chr(cp)).startswith(prefix)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x10FFFF))

    def esc(cp):
        return '\\U%08x' % cp

    return ''.join(esc(a) if a == b else esc(a) + '-' + esc(b) for a, b in ranges)


class ReferenceClipTokenizer:
    def __init__(self, bpe_path):
        order, self.byte_to_char = byte_level_alphabet()
        self.char_to_byte = {c: b for b, c in self.byte_to_char.items()}
        with gzip.open(bpe_path) as f:
            lines = f.read().decode('utf-8').split('\n')
        merge_lines = lines[1:49152 - 256 - 2 + 1]
        merges = [tuple(line.split()) for line in merge_lines]
        tokens = [self.byte_to_char[b] for b in order]
        tokens += [t + '</w>' for t in tokens]
        tokens += [a + b for a, b in merges]
        tokens += [START, END]
        self.token_to_id = {t: i for i, t in enumerate(tokens)}
        self.id_to_token = dict(enumerate(tokens))
        self.rank = {pair: i for i, pair in enumerate(merges)}
        self.memo = {START: START, END: END}
        letters, numbers = category_class('L'), category_class('N')
        self.pattern = re.compile(
            r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d"
            + '|[' + letters + ']+'
            + '|[' + numbers + ']'
            + '|[^' + WHITE_SPACE + letters + numbers + ']+',
            re.IGNORECASE)
        self.white_space_run = re.compile('[' + WHITE_SPACE + ']+')

    def clean(self, text):
        text = html.unescape(html.unescape(text)).strip()
        text = self.white_space_run.sub(' ', text).strip()
        return text.lower()

    def merge(self, word):
        """BPE of one byte-encoded word; returns its symbols."""
        if word in self.memo:
            return self.memo[word].split(' ')
        symbols = list(word[:-1]) + [word[-1] + '</w>']
        while len(symbols) > 1:
            ranked = [(self.rank[(a, b)], a, b) for a, b in zip(symbols, symbols[1:]) if (a, b) in self.rank]
            if not ranked:
                break
            _, first, second = min(ranked)
            merged = []
            i = 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == first and symbols[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            symbols = merged
        self.memo[word] = ' '.join(symbols)
        return symbols

    def encode(self, text):
        """SimpleTokenizer.encode: BPE ids without start/end tokens, padding or truncation."""
        ids = []
        for piece in self.pattern.findall(self.clean(text)):
            word = ''.join(self.byte_to_char[b] for b in piece.encode('utf-8'))
            ids.extend(self.token_to_id[symbol] for symbol in self.merge(word))
        return ids

    def encode_padded(self, text, max_length=77, pad_id=None):
        """Start token, ids cut to max_length - 2, end token, padding (pad_id defaults to the end token)."""
        ids = self.encode(text)
        kept = ids[:max_length - 2]
        framed = [self.token_to_id[START]] + kept + [self.token_to_id[END]]
        pad = self.token_to_id[END] if pad_id is None else pad_id
        return framed + [pad] * (max_length - len(framed)), len(ids) - len(kept)

    def decode(self, ids):
        text = ''.join(self.id_to_token[i] for i in ids)
        data = bytearray(self.char_to_byte[c] for c in text)
        return data.decode('utf-8', errors='replace').replace('</w>', ' ')


GOLDEN_PROMPTS = [
    'a photo of a cat',
    'a photo of an astronaut riding a horse on mars',
    'A Photo Of A CAT',
    '',
    '   ',
    'Hello, world!',
    'a red apple... on a blue table?!',
    '(masterpiece:1.2), best quality, ultra-detailed, 8k, [cyberpunk] city',
    'portrait of a woman -- trending on artstation --ar 16:9',
    "it's a dog's life, isn't it? we're here, they've gone, I'm fine, you'll see, he'd go",
    "IT'S LOUD, DON'T SHOUT",
    "rock 'n' roll ''quoted'' 'single'",
    'the year 2024, 3.14159, 1,000,000 and 42nd street',
    '#hashtag @mention email@example.com https://example.com/a?b=c&d=e',
    'Tom &amp; Jerry &lt;3 &gt; &quot;cartoon&quot;',
    'it&#39;s &#x27;quoted&#x27; and&nbsp;spaced',
    '&amp;amp; double escaped &amp;lt;tag&amp;gt;',
    '&copy 2024 &reg; &euro;5 &hellip; &mdash; &ndash; &trade;',
    '&ampersand &notit; &unknownentity; & alone &#; &#x; &#128; &#0;',
    'café crème brûlée, naïve façade, smørrebrød',
    'Ελληνικά ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ',
    'Привет мир, большая собака',
    '東京の夜景、ネオンサイン',
    '한국어 프롬프트 테스트',
    'a cat 🐱 with a hat 🎩 and sparkles ✨✨',
    'family emoji 👨‍👩‍👧 flag 🇯🇵 skin 👍🏽',
    'tabs\tand\nnewlines\r\nand   many    spaces',
    '\u3000ideographic\u3000space and\u00a0no-break\u2009thin',
    'ǅemal İstanbul ﬁne ﬂower',
    'iota subscript \u1fbc \u0391\u0345 \u03b1\u0345\u03c2 \u0345 a\u0345b',
    'math 𝐀𝐁𝐂 and numbers ½ ² Ⅻ ٣',
    'snake_case and kebab-case and CamelCase and dots.in.names',
    '<|startoftext|>literal special tokens<|endoftext|> in text',
    '!!!???...***',
    'a' * 60,
    'supercalifragilisticexpialidocious antidisestablishmentarianism',
    'a beautiful landscape painting of mountains and rivers at sunset, highly detailed, digital art, '
    'by greg rutkowski and alphonse mucha, trending on artstation, 4k, sharp focus, dramatic lighting, '
    'volumetric fog, octane render, unreal engine, concept art, matte painting, cinematic composition',
    'An intricate, hyper-realistic oil painting of an ancient library hidden inside a colossal hollow tree: spiral '
    'staircases carved from living wood, glowing lanterns drifting between shelves of leather-bound books, a curious '
    'fox reading by candlelight, dust motes in golden afternoon light, rich textures, masterful brushwork, museum '
    'quality, painted by a Renaissance master, 8K resolution, award-winning, extremely detailed.',
    ' '.join(['cat'] * 80),
    ' '.join(str(n) for n in range(100)),
    # One 600-letter word: long enough for the C# priority-queue merge path (over 48 bytes).
    ''.join(random.Random(7).choice('abcdefghijklmnopqrstuvwxyz') for _ in range(600)),
    'pneumonoultramicroscopicsilicovolcanoconiosis' * 3 + ' électroencéphalographiquement ' + '東京タワー' * 12,
]


def golden_document(tok):
    entries = []
    for prompt in GOLDEN_PROMPTS:
        ids = tok.encode(prompt)
        padded, truncated = tok.encode_padded(prompt)
        padded2, _ = tok.encode_padded(prompt, pad_id=0)
        entries.append({
            'text': prompt,
            'ids': ids,
            'input_ids': padded,
            'input_ids_pad0': padded2,
            'truncated': truncated,
            'decoded': tok.decode(ids),
        })
    return {
        'source': 'tools/reference/clip_tokenizer_reference.py golden (independent re-implementation of openai/CLIP '
                  'simple_tokenizer.py without ftfy; Python %d.%d, Unicode %s)' % (sys.version_info[0], sys.version_info[1],
                                                                                   unicodedata.unidata_version),
        'prompts': entries,
    }


FUZZ_PIECES = [
    'a', 'b', 'Z', 'x', 'cat', 'Dog', 'PHOTO', 'the', 'ing', 'er', '0', '7', '42', '3.5',
    ' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\u3000', '\u00a0', '\u2009', '\u001c', '\u0085',
    ',', '.', '!', '?', '-', '_', '(', ')', '[', ']', ':', ';', '"', '/', '\\', '<', '>', '|', '*', '#', '@', '~', '`',
    "'", "'s", "'S", "'t", "'re", "'ve", "'m", "'ll", "'d", "'LL", "'x", "'\u017f",
    '&', '&amp;', '&AMP;', '&lt', '&gt;', '&quot;', '&#39;', '&#x27;', '&#X41;', '&nbsp;', '&copy', '&notin;', '&notit;',
    '&apos;', '&#128;', '&#0;', '&#xD800;', '&#1114112;', '&#12', '&amp;amp;', '&hellip;', '&zz;', '&#;', '&#x;',
    '&ampx', '&Eacute;', '&eacute', '&colon;', '&NewLine;', '&#9731;', '&#x1F600;', '&#65279;', '&#11;', '&#13;',
    'é', 'É', 'ç', 'ñ', 'ø', 'ß', 'ẞ', 'e\u0301', '\u0301', 'İ', 'ı', 'ſ', 'K', 'ǅ', 'ﬁ',
    'Σ', 'ΣΑΣ', 'ΟΔΟΣ', 'σ', 'Ω', 'Привет', 'ЖЁЛТЫЙ', '\u0345', '\u1fbc',
    '東京', '猫', 'ねこ', 'カタカナ', '한국', '中文字符',
    '🐱', '🎩', '✨', '👨‍👩‍👧', '🇯🇵', '👍🏽', '❤️', '\u200d', '\ufe0f',
    '𝐀', '𝐛', '½', '²', 'Ⅻ', '٣', '१', '①',
    '<|startoftext|>', '<|endoftext|>', '<|ENDOFTEXT|>', '<|end', 'oftext|>',
]


def fuzz_document(tok, count, seed):
    rng = random.Random(seed)
    entries = []
    for _ in range(count):
        text = ''.join(rng.choice(FUZZ_PIECES) for _ in range(rng.randint(1, 14)))
        entries.append({'text': text, 'ids': tok.encode(text)})
    return {
        'source': 'tools/reference/clip_tokenizer_reference.py fuzz %d (seed %d; Python %d.%d, Unicode %s)' % (
            count, seed, sys.version_info[0], sys.version_info[1], unicodedata.unidata_version),
        'prompts': entries,
    }


def decode_fuzz_document(tok, count, seed):
    """Random id lists, mostly single-byte symbols, so many are invalid UTF-8 and exercise errors='replace'."""
    rng = random.Random(seed)
    entries = []
    for _ in range(count):
        ids = [rng.randint(0, 511) if rng.random() < 0.7 else rng.randint(0, 49407) for _ in range(rng.randint(1, 12))]
        entries.append({'ids': ids, 'text': tok.decode(ids)})
    return {
        'source': 'tools/reference/clip_tokenizer_reference.py decode-fuzz %d (seed %d; Python %d.%d)' % (
            count, seed, sys.version_info[0], sys.version_info[1]),
        'decodes': entries,
    }


def main(argv):
    tok = ReferenceClipTokenizer(os.environ.get('CLIP_BPE', DEFAULT_BPE))
    command = argv[1] if len(argv) > 1 else 'golden'
    if command == 'encode':
        text = ' '.join(argv[2:])
        print(json.dumps({'ids': tok.encode(text), 'input_ids': tok.encode_padded(text)[0]}))
    elif command == 'golden':
        json.dump(golden_document(tok), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write('\n')
    elif command == 'fuzz':
        count = int(argv[2]) if len(argv) > 2 else 400
        seed = int(argv[3]) if len(argv) > 3 else 20240229
        json.dump(fuzz_document(tok, count, seed), sys.stdout, ensure_ascii=False, indent=0)
        sys.stdout.write('\n')
    elif command == 'decode-fuzz':
        count = int(argv[2]) if len(argv) > 2 else 300
        seed = int(argv[3]) if len(argv) > 3 else 5
        json.dump(decode_fuzz_document(tok, count, seed), sys.stdout, ensure_ascii=False, indent=0)
        sys.stdout.write('\n')
    else:
        sys.exit('usage: clip_tokenizer_reference.py encode TEXT | golden | fuzz [COUNT [SEED]] | decode-fuzz [COUNT [SEED]]')


if __name__ == '__main__':
    main(sys.argv)
