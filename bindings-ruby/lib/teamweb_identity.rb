# frozen_string_literal: true

# TeamWeb AI chat-widget identity tokens (AES-256-GCM), from the same Rust
# core as the Python, Node, JVM and Go packages: byte for byte the same tokens.
#
#   require "teamweb_identity"
#
#   KEY = TeamwebIdentity::IdentityKey.from_base64(ENV.fetch("TEAMWEB_IDENTITY_SECRET")) # once
#   token = KEY.encrypt(id: "user_123", name: "Alice", email: "alice@example.com")
#   tag = TeamwebIdentity.widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, token)
#
# Every token gets a fresh random 96-bit nonce: make at most 2**32 tokens per
# secret (NIST SP 800-38D, 8.3) and rotate well before (IdentityKeyring).
module TeamwebIdentity
  # The uniffi-generated bindings (lib/teamweb_identity/native.rb, written by
  # the gem's build) and the native library beside them. Internal.
  module Native
  end
  private_constant :Native

  require_relative "teamweb_identity/version"
  require_relative "teamweb_identity/native"
  require_relative "teamweb_identity/errors"
  require_relative "teamweb_identity/text"
  require_relative "teamweb_identity/user_identity"
  require_relative "teamweb_identity/identity_key"
  require_relative "teamweb_identity/identity_keyring"

  # A token for the identity, parsing the secret on every call; for many
  # tokens, parse it once with IdentityKey.from_base64.
  #
  # @return [String]
  # @raise [InvalidSecretError, InvalidIdentityError]
  def self.encrypt_user_token(secret, id:, name: nil, email: nil)
    secret = Text.lossy("secret", secret)
    identity = native_identity(id, name, email)
    ErrorMapping.mapped { Native.ffi_encrypt_user_token(secret, identity) }
  end

  # Opens a token with the secret, parsing the secret on every call.
  #
  # @return [UserIdentity]
  # @raise [InvalidSecretError, MalformedTokenError, AuthenticationFailedError, InvalidPayloadError]
  def self.decrypt_user_token(secret, token)
    secret = Text.lossy("secret", secret)
    token = Text.lossy("token", token)
    user_identity(ErrorMapping.mapped { Native.ffi_decrypt_user_token(secret, token) })
  end

  # The widget's script tag, every value HTML-attribute-escaped; without a
  # token there is no +data-user-token+ attribute.
  #
  #   TeamwebIdentity.widget_script_tag("https://teamweb.example/static/js/chat-widget.js", 123, token)
  #   # => '<script src="https://..." data-assistant-id="123" data-user-token="..."></script>'
  #
  # @param assistant_id [String, Integer]
  # @param user_token [String, nil]
  # @return [String]
  def self.widget_script_tag(src, assistant_id, user_token = nil)
    assistant_id = assistant_id.to_s if assistant_id.is_a?(Integer)
    src = Text.lossy("src", src)
    assistant_id = Text.lossy("assistant_id", assistant_id)
    user_token = user_token.nil? ? nil : Text.lossy("user_token", user_token)
    ErrorMapping.mapped { Native.ffi_widget_script_tag(src, assistant_id, user_token) }
  end

  def self.native_identity(id, name, email)
    Native::Utf16Identity.new(id: Text.id(id), name: Text.field("name", name), email: Text.field("email", email))
  end

  def self.user_identity(opened)
    UserIdentity.new(id: opened.id, name: opened.name, email: opened.email)
  end
  private_class_method :native_identity, :user_identity
end
