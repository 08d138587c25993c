# frozen_string_literal: true

module TeamwebIdentity
  # Several keys, for rotating the secret: #encrypt uses the first key,
  # #decrypt tries each key in turn (only +authentication_failed+ moves on to
  # the next one). Immutable and safe to share between threads.
  #
  #   ring = TeamwebIdentity::IdentityKeyring.new([new_key, old_key])
  class IdentityKeyring
    include Cipher

    # @param keys [Array<IdentityKey>] at least one
    # @raise [InvalidSecretError] no keys
    # @raise [TypeError] an element is not an IdentityKey
    def initialize(keys)
      natives = Array(keys).map do |key|
        raise TypeError, "IdentityKeyring takes IdentityKey objects, not #{key.class}" unless key.is_a?(IdentityKey)

        key.__send__(:native)
      end
      @native = ErrorMapping.mapped { Native::FfiKeyring.new(natives) }
      @size = natives.size
      freeze
    end

    # @return [Integer] the number of keys
    attr_reader :size
    alias length size

    def inspect
      "#<#{self.class.name} #{@size} keys [redacted]>"
    end
    alias to_s inspect
  end
end
