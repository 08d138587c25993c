# frozen_string_literal: true

module TeamwebIdentity
  # Every refusal of this gem: one subclass per stable error code.
  #
  #   begin
  #     key.decrypt(token)
  #   rescue TeamwebIdentity::Error => e
  #     e.code    # => "authentication_failed"
  #     e.message # says what was wrong; never contains the secret
  #   end
  class Error < StandardError
    CODE = nil

    # The stable code: "invalid_secret", "invalid_identity",
    # "malformed_token", "authentication_failed" or "invalid_payload".
    # @return [String]
    def code
      self.class::CODE
    end
  end

  # The secret is not the base64 of 32 bytes (the message says why, without the secret).
  class InvalidSecretError < Error
    CODE = "invalid_secret"
  end

  # The identity breaks a rule (required id, lengths, email shape, control
  # characters, text that is not valid Unicode).
  class InvalidIdentityError < Error
    CODE = "invalid_identity"
  end

  # The token is not base64 of at least 28 bytes, or is longer than 8192 characters.
  class MalformedTokenError < Error
    CODE = "malformed_token"
  end

  # Wrong key, or a changed byte: AES-GCM refused the token.
  class AuthenticationFailedError < Error
    CODE = "authentication_failed"
  end

  # The token opened, but its plaintext is not an identity.
  class InvalidPayloadError < Error
    CODE = "invalid_payload"
  end

  # The one place where the generated bindings' errors become this gem's:
  # TokenError variants become the Error subclasses above, a host argument
  # of the wrong shape becomes ArgumentError, and a Rust panic (caught at
  # the boundary by uniffi) becomes a RuntimeError; the process goes on.
  module ErrorMapping
    NATIVE = {
      Native::TokenError::InvalidSecret => InvalidSecretError,
      Native::TokenError::InvalidIdentity => InvalidIdentityError,
      Native::TokenError::MalformedToken => MalformedTokenError,
      Native::TokenError::AuthenticationFailed => AuthenticationFailedError,
      Native::TokenError::InvalidPayload => InvalidPayloadError,
      Native::TokenError::Argument => ArgumentError
    }.freeze

    # Runs the block, raising this gem's error for any error of the native layer.
    def self.mapped
      yield
    rescue *NATIVE.keys => e
      raise NATIVE.fetch(e.class), e.message, cause: nil
    rescue Native::InternalError => e
      raise RuntimeError, "teamweb_identity: internal error in the native library: #{e.message}", cause: nil
    end

    # A field that Ruby cannot transcode to Unicode (a String whose bytes are
    # not valid in its own encoding) is refused as the core refuses a lone
    # surrogate.
    def self.not_unicode(field)
      raise InvalidIdentityError, "#{field} is not valid Unicode (its bytes are not valid in its encoding)", cause: nil
    end
  end
  private_constant :ErrorMapping
end
