"""The index's Whoosh codec: Whoosh 3's file layout with posting blocks that decode in C.

A query decodes thousands of posting blocks. Whoosh 3 stores a block as a zlib-compressed pickle of
tuples (one int, float and bytes object per posting), and unpickling and decompressing them was most
of a query's cost. Here a block is an uncompressed pickle of a few flat byte strings: delta-encoded ids
as an `array` ("H" when every gap fits in 16 bits), weights as float32s, and the variable-size values
as one byte string plus their lengths. Reading ids or weights is then one `array.frombytes` (and one
`itertools.accumulate` for the ids); values are only cut into per-posting pieces when asked for.
The price is an index about half as large again (no zlib; see bench/README.md). Blocks are pickled
with protocol 4, not Whoosh's 2 (see BLOCK_PICKLE_PROTOCOL).

Writing a segment also asks for the length of a document's field once per posting (for the blocks'
length bounds); Whoosh reads it from the column file each time, this codec's per-document reader
reads each field's lengths once into a list.

Whoosh pickles the codec with every segment: keep these classes in this module under these names.
Segments written by Whoosh's own codec (an index built before this codec) still read as before.
"""

from array import array
from itertools import accumulate
from pickle import dumps

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length, length_to_byte

# Pickle protocol 2 (Whoosh's) has no opcode for bytes: each byte string is pickled as a call that
# decodes it from latin-1 text, and unpickling a block then took ~6 µs, most of reading a term's
# postings. Protocol 4 stores them as they are (unpickling ~1 µs). Readers accept either protocol.
BLOCK_PICKLE_PROTOCOL = 4


class _PerDocReader(W3PerDocReader):
    """W3PerDocReader with each field's lengths decoded once (the column is immutable)."""

    def doc_field_length(self, docnum, fieldname, default=0):
        tables = self.__dict__.setdefault("_length_tables", {})
        table = tables.get(fieldname)
        if table is None:
            column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                return default
            # As Whoosh does: a length byte of 0 (no such field in the document) gives None.
            table = [column[d] for d in range(self._doccount + 1)]
            table = tables[fieldname] = [byte_to_length(b) if b else None for b in table]
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        return table[docnum]


class _PostingsWriter(W3PostingsWriter):
    """Writes each block's ids, weights and values as flat byte strings (see the module docstring)."""

    def _write_block(self, last=False):
        """Whoosh 3's block layout (length, info pickle, data pickle; a negative length marks the last
        block), pickled with BLOCK_PICKLE_PROTOCOL and never compressed."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        databytes = dumps(data, BLOCK_PICKLE_PROTOCOL)
        info = (
            len(self._ids),
            self._ids[-1],
            self._maxweight,
            0,  # compression
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = dumps(info, BLOCK_PICKLE_PROTOCOL)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self):
        gaps = [b - a for a, b in zip([0, *self._ids], self._ids, strict=False)]
        typecode = "H" if max(gaps) < 1 << 16 else "I"
        return typecode, array(typecode, gaps).tobytes()

    def _mini_weights(self):
        weights = self._weights
        if all(w == 1.0 for w in weights):
            return None
        if all(w == weights[0] for w in weights):
            return weights[0]
        return weights.tobytes()

    def _mini_values(self):
        fixedsize = self._format.fixed_value_size()
        values = self._values
        if fixedsize is None or fixedsize < 0:
            return array("I", map(len, values)).tobytes(), b"".join(values)
        if fixedsize == 0:
            return None
        return b"".join(values)


class BlockMatcher(W3LeafMatcher):
    """Reads the blocks `_PostingsWriter` writes; the rest of Whoosh's matcher API is unchanged."""

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        typecode, raw = self._data[0]
        gaps = array(typecode)
        gaps.frombytes(raw)
        self._ids = tuple(accumulate(gaps))

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        if weights is None:
            self._weights = array("f", [1.0]) * self._blocklength
        elif isinstance(weights, float):
            self._weights = array("f", [weights]) * self._blocklength
        else:
            self._weights = array("f")
            self._weights.frombytes(weights)

    def values_at(self, indexes: list[int]) -> list:
        """The values of the block's postings at these indexes, without cutting up the others."""
        if self._data is None:
            self._read_data()
        values = self._data[2]
        if self._values is not None or not isinstance(values, tuple):
            if self._values is None:
                self._read_values()
            return [self._values[i] for i in indexes]
        raw_lengths, blob = values
        lengths = array("I")
        lengths.frombytes(raw_lengths)
        ends = list(accumulate(lengths))
        return [blob[ends[i] - lengths[i] : ends[i]] for i in indexes]

    def _read_values(self):
        if self._data is None:
            self._read_data()
        fixedsize = self._fixedsize
        values = self._data[2]
        if fixedsize is None or fixedsize < 0:
            raw_lengths, blob = values
            lengths = array("I")
            lengths.frombytes(raw_lengths)
            ends = list(accumulate(lengths))
            # slice objects and map() cut the byte string in C, not one generator step per posting
            self._values = tuple(map(blob.__getitem__, map(slice, [0, *ends[:-1]], ends)))
        elif fixedsize == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(values[i : i + fixedsize] for i in range(0, len(values), fixedsize))


class ArchiveCodec(W3Codec):
    """Whoosh 3's codec with flat, uncompressed posting blocks and field lengths read once."""

    def __init__(self):
        super().__init__(compression=0)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (unused here) keep Whoosh's own block format
            return super().postings_writer(dbfile, byteids=byteids)
        return _PostingsWriter(
            dbfile, blocklimit=self._blocklimit, compression=0, inlinelimit=self._inlinelimit
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)
