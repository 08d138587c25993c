# frozen_string_literal: true

require "teamweb_identity"

module TeamwebIdentity
  # FOR TESTS ONLY: tokens with a nonce you choose, to compare with the
  # conformance vectors or another implementation byte for byte.
  #
  #   require "teamweb_identity/testing"
  #   TeamwebIdentity::Testing.encrypt_with_nonce(key, ["000102030405060708090a0b"].pack("H*"), id: "u1")
  #
  # A nonce must never repeat under one key: a fixed nonce in production
  # lets anyone who sees two tokens recover the keystream and forge tokens.
  # Real tokens come from IdentityKey#encrypt, which draws a fresh random nonce.
  module Testing
    # @param key [IdentityKey]
    # @param nonce [String] exactly 12 bytes
    # @return [String] the token
    # @raise [ArgumentError] the nonce is not 12 bytes
    # @raise [InvalidIdentityError]
    def self.encrypt_with_nonce(key, nonce, id:, name: nil, email: nil)
      raise TypeError, "key must be a TeamwebIdentity::IdentityKey, not #{key.class}" unless key.is_a?(IdentityKey)
      raise TypeError, "nonce must be a String of 12 bytes, not #{nonce.class}" unless nonce.is_a?(String)

      identity = TeamwebIdentity.__send__(:native_identity, id, name, email)
      native = key.__send__(:native)
      ErrorMapping.mapped { native.encrypt_with_nonce(nonce.b, identity) }
    end
  end
end
