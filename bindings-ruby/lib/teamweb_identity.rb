# frozen_string_literal: true

# TeamWeb AI chat-widget identity tokens (AES-256-GCM), from the same Rust
# core as the Python, Node, JVM, Go and PHP packages: byte for byte the same
# tokens.
#
#   require "teamweb_identity"
#
#   KEY = TeamwebIdentity::IdentityKey.from_base64(ENV.fetch("TEAMWEB_IDENTITY_SECRET")) # once
#   token = KEY.encrypt(id: "user_123", name: "Alice", email: "alice@example.com")
#   tag = TeamwebIdentity.widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, token)
#
# The classes and methods are a native extension (magnus over the core,
# ext/teamweb_identity); this file loads it, documents it (YARD), and gives
# the methods that take keyword arguments their Ruby signatures (Ruby passes
# keywords to a Ruby method without building a Hash; the extension takes
# them positionally).
module TeamwebIdentity
  require_relative "teamweb_identity/version"
  # A platform gem has one extension per Ruby minor version
  # (lib/teamweb_identity/3.2/...); the source gem, the one extconf.rb built
  # at install time, in the gem's extension directory.
  per_version = File.join(__dir__, "teamweb_identity", RUBY_VERSION[/\A\d+\.\d+/])
  if Dir.exist?(per_version)
    require File.join(per_version, "teamweb_identity")
  else
    require "teamweb_identity/teamweb_identity"
  end

  private_class_method :_encrypt_user_token

  # A token for the identity, parsing the secret on every call; for many
  # tokens, parse it once with {IdentityKey.from_base64}.
  # @param secret [String] the channel's identity secret
  # @param id [String, Integer] required; an Integer becomes its decimal text
  # @param name [String, nil] +nil+ or +""+ means absent
  # @param email [String, nil] +nil+ or +""+ means absent
  # @return [String]
  # @raise [InvalidSecretError, InvalidIdentityError]
  def self.encrypt_user_token(secret, id:, name: nil, email: nil) = _encrypt_user_token(secret, id, name, email)

  # @!method self.decrypt_user_token(secret, token)
  #   Opens a token with the secret, parsing the secret on every call.
  #   @return [UserIdentity]
  #   @raise [InvalidSecretError, MalformedTokenError, AuthenticationFailedError, InvalidPayloadError]

  # @!method self.widget_script_tag(src, assistant_id, user_token = nil)
  #   The widget's script tag, every value HTML-attribute-escaped; without a
  #   token there is no +data-user-token+ attribute. Text that is not valid
  #   in its encoding never fails here: each ill-formed sequence becomes U+FFFD.
  #
  #     TeamwebIdentity.widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, token)
  #     # => '<script src="https://..." data-assistant-id="123" data-user-token="..."></script>'
  #   @param src [String]
  #   @param assistant_id [String, Integer]
  #   @param user_token [String, nil]
  #   @return [String]
  #   @raise [InvalidIdentityError] an Integer assistant id wider than the core allows

  # Every refusal of this gem: one subclass per stable error code. The
  # message says what was wrong and never contains the secret or the token.
  #
  #   begin
  #     key.decrypt(token)
  #   rescue TeamwebIdentity::Error => e
  #     e.code # => "authentication_failed"
  #   end
  class Error < StandardError
    # The stable code: each subclass's CODE, defined by the extension.
    # @return [String] "invalid_secret", "invalid_identity", "malformed_token",
    #   "authentication_failed" or "invalid_payload"
    def code = self.class::CODE
  end

  # The secret is not the base64 of 32 bytes (+invalid_secret+).
  class InvalidSecretError < Error; end
  # The identity breaks a rule: required id, lengths, email shape, control
  # characters, text that is not valid Unicode (+invalid_identity+).
  class InvalidIdentityError < Error; end
  # The token is not base64 of at least 28 bytes, or is longer than 8192
  # characters (+malformed_token+).
  class MalformedTokenError < Error; end
  # Wrong key, or a changed byte: AES-GCM refused the token (+authentication_failed+).
  class AuthenticationFailedError < Error; end
  # The token opened, but its plaintext is not an identity (+invalid_payload+).
  class InvalidPayloadError < Error; end

  # An identity secret, parsed once (at start-up) and reused for every token.
  # Frozen and safe to share between threads. It never shows its bytes
  # (+inspect+, +to_s+), cannot be marshalled or copied, and its key
  # material is wiped when Ruby frees it.
  #
  #   KEY = TeamwebIdentity::IdentityKey.from_base64(ENV.fetch("TEAMWEB_IDENTITY_SECRET"))
  #   token = KEY.encrypt(id: current_user.id, name: current_user.name, email: current_user.email)
  class IdentityKey
    # @!method self.from_base64(secret)
    #   Parses a secret: the base64 of 32 bytes, standard or URL-safe
    #   alphabet, padding optional, surrounding whitespace ignored.
    #   @param secret [String]
    #   @return [IdentityKey]
    #   @raise [InvalidSecretError] with a message that never contains the secret

    # @!method self.generate
    #   A new key from 32 bytes of the operating system's CSPRNG.
    #   @return [IdentityKey]

    # @!method secret_base64
    #   The secret as padded standard base64 (44 characters), e.g. to store
    #   a key made by {generate}. This String is not wiped: treat it as the
    #   secret it is.
    #   @return [String]

    # @!method decrypt(token)
    #   Opens a token (standard or URL-safe base64, padding optional, any JSON
    #   spacing or escapes).
    #   @param token [String]
    #   @return [UserIdentity]
    #   @raise [MalformedTokenError, AuthenticationFailedError, InvalidPayloadError]

    # Makes a token for the identity, with a fresh nonce from the
    # operating system.
    # @param id [String, Integer] required; an Integer becomes its decimal text
    # @param name [String, nil] +nil+ or +""+ means absent
    # @param email [String, nil] +nil+ or +""+ means absent
    # @return [String] the token, for the script tag's +data-user-token+
    # @raise [InvalidIdentityError] the identity breaks a rule
    # @raise [TypeError] a value that is not a String (or an Integer id)
    def encrypt(id:, name: nil, email: nil) = _encrypt(id, name, email)

  end

  # Several keys, for rotating the secret: #encrypt uses the first key,
  # #decrypt tries each key in turn (only +authentication_failed+ moves on
  # to the next one). Frozen and safe to share between threads.
  #
  #   ring = TeamwebIdentity::IdentityKeyring.new([new_key, old_key])
  class IdentityKeyring
    # @!method self.new(keys)
    #   @param keys [Array<IdentityKey>] at least one
    #   @raise [InvalidSecretError] no keys
    #   @raise [TypeError] an element is not an IdentityKey

    # @!method size
    #   @return [Integer] the number of keys

    # @!method decrypt(token)
    #   As {IdentityKey#decrypt}, with each key in turn.
    #   @return [UserIdentity]

    # As {IdentityKey#encrypt}, with the first key.
    # @return [String]
    def encrypt(id:, name: nil, email: nil) = _encrypt(id, name, email)

  end

  # An opened identity: what #decrypt returns. Frozen; +name+ and +email+
  # are +nil+ when absent. +""+ and absent are the same, in #== too.
  #
  #   who = key.decrypt(token)
  #   who.id     # => "user_123" (an integer id comes back as its decimal text)
  #   who.name   # => "Alice"
  #   who.email  # => nil
  #   case who
  #   in {id:, email: String => email} then ...
  #   end
  class UserIdentity
    private_class_method :_new

    # An identity from host text, held to the core's identity-field rules
    # (valid Unicode, lengths); +nil+ or +""+ name/email means absent.
    # @param id [String, Integer]
    # @return [UserIdentity]
    # @raise [InvalidIdentityError]
    def self.new(id:, name: nil, email: nil) = _new(id, name, email)

    # @!method id
    #   @return [String]
    # @!method name
    #   @return [String, nil]
    # @!method email
    #   @return [String, nil]
    # @!method to_h
    #   @return [Hash{Symbol => String, nil}] +{id:, name:, email:}+, usable as +key.encrypt(**who.to_h)+
    # @!method deconstruct_keys(keys)
    #   Pattern matching: +in {id:, email:}+.
    #   @return [Hash{Symbol => String, nil}]
  end
end
