# frozen_string_literal: true

module TeamwebIdentity
  # Ruby Strings as the native layer takes text: the little-endian bytes of
  # their UTF-16 code units (the uniffi crate is shared with the JVM package,
  # whose strings are UTF-16). Only conversion happens here; every rule is
  # checked by the core.
  module Text
    UTF16 = Encoding::UTF_16LE
    LOSSY = { invalid: :replace, undef: :replace }.freeze

    # An identity field (+nil+ stays +nil+ when the field is optional). A
    # UTF-16LE String goes as it is, so a lone surrogate reaches the core,
    # which refuses it; a String that cannot be transcoded (bytes not valid
    # in its encoding) is refused with InvalidIdentityError.
    def self.field(field, value, optional: true)
      return nil if optional && value.nil?

      units(string(field, value))
    rescue EncodingError
      ErrorMapping.not_unicode(field)
    end

    # The id: a String, or an Integer, which becomes its decimal text.
    def self.id(value)
      value = value.to_s if value.is_a?(Integer)
      field("id", value, optional: false)
    end

    # Any other text (secret, token, script-tag values): bytes that are not
    # valid in the String's encoding become U+FFFD, which the core then
    # refuses in a secret or token like any other character that is not base64.
    def self.lossy(what, value)
      str = string(what, value)
      return str.b if str.encoding == UTF16

      str = str.dup.force_encoding(Encoding::UTF_8) if str.encoding == Encoding::BINARY
      str.encode(UTF16, **LOSSY).force_encoding(Encoding::BINARY)
    end

    def self.units(str)
      return str.b if str.encoding == UTF16

      # Bytes without an encoding (ASCII-8BIT, e.g. read from a socket) are read as UTF-8.
      str = str.dup.force_encoding(Encoding::UTF_8) if str.encoding == Encoding::BINARY
      str.encode(UTF16).force_encoding(Encoding::BINARY)
    end

    def self.string(what, value)
      return value if value.is_a?(String)
      return value.to_str if value.respond_to?(:to_str)

      raise TypeError, "#{what} must be a String#{what == 'id' ? ' or an Integer' : ''}, not #{value.class}"
    end
    private_class_method :units, :string
  end
  private_constant :Text
end
