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
  # Real tokens come from IdentityKey#encrypt, which draws a fresh nonce
  # from the operating system at every call.
  module Testing
    # @param key [IdentityKey]
    # @param nonce [String] exactly 12 bytes
    # @param id [String, Integer]
    # @param name [String, nil]
    # @param email [String, nil]
    # @return [String] the token
    # @raise [ArgumentError] the nonce is not 12 bytes
    # @raise [TypeError] key is not an IdentityKey, nonce not a String
    # @raise [InvalidIdentityError]
    def self.encrypt_with_nonce(key, nonce, id:, name: nil, email: nil) = _encrypt_with_nonce(key, nonce, id, name, email)
    private_class_method :_encrypt_with_nonce
  end
end
