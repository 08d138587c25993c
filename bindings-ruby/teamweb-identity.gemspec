# frozen_string_literal: true

# Two kinds of gem from one spec, built from a staging directory by
# `make -C bindings-ruby build` (target/ruby-gem/{platform,source}):
#
# - platform gem (TEAMWEB_GEM_PLATFORM set, e.g. x86_64-linux): lib/ with the
#   compiled extension for each Ruby minor version, lib/teamweb_identity/3.1/
#   teamweb_identity.so ...; nothing is compiled at install.
# - source gem (default): ext/teamweb_identity (the Rust crate, its
#   Cargo.lock, extconf.rb) and the core vendored under it; `gem install`
#   runs extconf.rb, which builds with cargo.
require_relative "lib/teamweb_identity/version"

Gem::Specification.new do |spec|
  spec.name = "teamweb-identity"
  spec.version = TeamwebIdentity::VERSION
  spec.summary = "Identity tokens for TeamWeb AI's chat widget (AES-256-GCM), from one Rust core"
  spec.description = <<~TEXT
    Encrypts {id, name, email} with a TeamWeb AI channel's identity secret into
    the token the chat widget's script tag carries (data-user-token), and opens
    such tokens. Byte for byte the same tokens as the Python, Node, JVM, Go and
    PHP packages: a native extension (magnus, rb-sys) over the Rust core.
  TEXT
  spec.authors = ["TeamWeb AI"]
  spec.licenses = ["MIT", "Apache-2.0"] # either, at your option (MIT OR Apache-2.0)
  spec.homepage = "https://github.com/teamweb-ai/teamweb-identity"
  spec.require_paths = ["lib"]
  spec.metadata["rubygems_mfa_required"] = "true"

  platform = ENV.fetch("TEAMWEB_GEM_PLATFORM", "")
  if platform.empty?
    spec.required_ruby_version = ">= 3.1"
    spec.files = Dir["lib/**/*.rb", "README.md", "ext/teamweb_identity/{extconf.rb,Cargo.toml,Cargo.lock}",
                     "ext/teamweb_identity/src/**/*.rs", "ext/teamweb_identity/vendor/**/*"]
    spec.extensions = ["ext/teamweb_identity/extconf.rb"]
  else
    spec.platform = Gem::Platform.new(platform)
    minors = Dir["lib/teamweb_identity/*/teamweb_identity.{so,bundle,dll}"].map { |f| f.split("/")[-2] }.uniq
    raise "no compiled extension under lib/teamweb_identity/<ruby version>/" if minors.empty?

    newest = minors.max_by { |v| Gem::Version.new(v) }
    # The Ruby versions built for, as native gems state them (< the next minor's .dev).
    spec.required_ruby_version = [">= #{minors.min_by { |v| Gem::Version.new(v) }}",
                                  "< #{newest.split('.').then { |a, b| "#{a}.#{b.to_i + 1}" }}.dev"]
    spec.files = Dir["lib/**/*.rb", "lib/teamweb_identity/*/teamweb_identity.{so,bundle,dll}", "README.md"]
  end
end
