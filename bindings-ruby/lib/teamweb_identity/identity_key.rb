# frozen_string_literal: true

module TeamwebIdentity
  # Converts and forwards identity calls for IdentityKey and IdentityKeyring.
  module Cipher
    # Makes a token for the identity (a new random nonce every call).
    #
    # @param id [String, Integer] required; an Integer becomes its decimal text
    # @param name [String, nil] +nil+ or +""+ means absent
    # @param email [String, nil] +nil+ or +""+ means absent
    # @return [String] the token, for the script tag's +data-user-token+
    # @raise [InvalidIdentityError] the identity breaks a rule
    def encrypt(id:, name: nil, email: nil)
      identity = TeamwebIdentity.__send__(:native_identity, id, name, email)
      ErrorMapping.mapped { @native.encrypt(identity) }
    end

    # Opens a token (standard or URL-safe base64, padding optional, any JSON
    # spacing or escapes).
    #
    # @return [UserIdentity]
    # @raise [MalformedTokenError, AuthenticationFailedError, InvalidPayloadError]
    def decrypt(token)
      token = Text.lossy("token", token)
      TeamwebIdentity.__send__(:user_identity, ErrorMapping.mapped { @native.decrypt(token) })
    end

    # Keys never show their bytes.
    def inspect
      "#<#{self.class.name} [redacted]>"
    end
    alias to_s inspect

    # Keys cannot be serialised: a dump would carry a native handle, not a secret.
    def _dump(_level)
      raise TypeError, "#{self.class.name} cannot be marshalled; keep the secret in your secret store"
    end

    def marshal_dump
      _dump(0)
    end

    private

    attr_reader :native
  end
  private_constant :Cipher

  # An identity secret, parsed once (at start-up) and reused for every token.
  # Immutable and safe to share between threads. It never shows its bytes
  # (+inspect+, +to_s+), and the core zeroizes them when the key is freed.
  #
  #   KEY = TeamwebIdentity::IdentityKey.from_base64(ENV.fetch("TEAMWEB_IDENTITY_SECRET"))
  #   token = KEY.encrypt(id: current_user.id, name: current_user.name, email: current_user.email)
  class IdentityKey
    include Cipher

    # Parses a secret: the base64 of 32 bytes, standard or URL-safe alphabet,
    # padding optional, surrounding whitespace ignored.
    #
    # @param secret [String]
    # @return [IdentityKey]
    # @raise [InvalidSecretError] with a message that never contains the secret
    def self.from_base64(secret)
      secret = Text.lossy("secret", secret)
      new(ErrorMapping.mapped { Native::FfiKey.from_base64(secret) })
    end

    # A new key from 32 bytes of the operating system's CSPRNG.
    # @return [IdentityKey]
    def self.generate
      new(ErrorMapping.mapped { Native::FfiKey.generate })
    end

    # @api private (use from_base64 or generate)
    def initialize(native)
      raise TypeError, "use IdentityKey.from_base64 or IdentityKey.generate" unless native.is_a?(Native::FfiKey)

      @native = native
      freeze
    end
    private_class_method :new

    # The secret as padded standard base64 (44 characters), e.g. to store a
    # key made by generate.
    # @return [String]
    def secret_base64
      ErrorMapping.mapped { @native.secret_base64 }
    end
  end
end
