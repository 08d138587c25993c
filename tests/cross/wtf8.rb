# frozen_string_literal: true

# UTF-16 code units (tests/vectors and tests/cross's {"utf16": [...]}) as the
# text a UTF-8 language has for them: a UTF-8-tagged String of their
# WTF-8 bytes, each lone surrogate in its 3-byte form (ED A0..BF 80..BF).
# Used by the Ruby driver and the Ruby gem's tests.
module Wtf8
  def self.from_utf16(units)
    out = +"".b
    i = 0
    while i < units.size
      u = units[i]
      if (0xD800..0xDBFF).cover?(u) && (0xDC00..0xDFFF).cover?(units[i + 1].to_i)
        out << [0x10000 + ((u - 0xD800) << 10) + (units[i + 1] - 0xDC00)].pack("U").b
        i += 2
        next
      end
      out << if (0xD800..0xDFFF).cover?(u)
               [0xE0 | (u >> 12), 0x80 | ((u >> 6) & 0x3F), 0x80 | (u & 0x3F)].pack("C*")
             else
               [u].pack("U").b
             end
      i += 1
    end
    out.force_encoding(Encoding::UTF_8)
  end
end
