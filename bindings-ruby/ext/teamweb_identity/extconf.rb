# frozen_string_literal: true

# Builds the gem's native extension with cargo (run by `gem install` for the
# source gem, in this directory, like any extconf.rb). Needs Rust (cargo)
# and libclang (rb-sys reads Ruby's headers with bindgen); the Ruby that
# runs this script is the one the extension is built for (RUBY for rb-sys).
#
# It writes a Makefile with the targets RubyGems runs: `make clean`, `make`
# (cargo build --release --locked, then the library copied here as
# teamweb_identity.<DLEXT>) and `make install` (into sitearchdir, which
# RubyGems points at the gem's extension directory). Cargo builds in a
# temporary directory that `make` removes afterwards, unless CARGO_TARGET_DIR
# names one to keep.
require "rbconfig"
require "shellwords"
require "tmpdir"

cargo = ENV.fetch("CARGO", "cargo")
unless system(*cargo.shellsplit, "--version", out: File::NULL, err: File::NULL)
  abort "teamweb-identity: building this gem needs Rust's cargo on PATH (https://rustup.rs), " \
        "or install a platform gem (x86_64-linux, aarch64-linux, x86_64-darwin, arm64-darwin, x64-mingw-ucrt)"
end

config = RbConfig::CONFIG
dlext = config.fetch("DLEXT")
built = case config.fetch("host_os")
        when /darwin/ then "libteamweb_identity.dylib"
        when /mingw|mswin|cygwin/ then "teamweb_identity.dll"
        else "libteamweb_identity.so"
        end
# RubyInstaller's Ruby (mingw, ucrt) loads extensions built with the GNU
# toolchain, whatever rustup's default host is.
triple = ("#{config.fetch('host_cpu')}-pc-windows-gnu" if config.fetch("host_os").match?(/mingw/))
keep_target = ENV.key?("CARGO_TARGET_DIR") && !ENV["CARGO_TARGET_DIR"].empty?
target_dir = keep_target ? File.expand_path(ENV.fetch("CARGO_TARGET_DIR")) : Dir.mktmpdir("teamweb-identity-cargo-")
# make runs the recipes with /bin/sh (or the devkit's sh on Windows).
q = ->(s) { s.to_s.shellescape }

File.write("Makefile", <<~MAKE)
  # Written by extconf.rb.
  CARGO = #{cargo}
  RUBY = #{q.(RbConfig.ruby)}
  sitearchdir = #{q.(config.fetch('sitearchdir'))}
  TARGET_DIR = #{q.(target_dir)}
  EXT = teamweb_identity.#{dlext}

  all: $(EXT)

  $(EXT):
  \tRUBY=$(RUBY) $(CARGO) build --release --locked --lib #{triple ? "--target #{triple} " : ''}--manifest-path #{q.(File.join(__dir__, 'Cargo.toml'))} --target-dir $(TARGET_DIR)
  \tcp $(TARGET_DIR)/#{triple ? "#{triple}/" : ''}release/#{built} $(EXT)
  #{keep_target ? '' : "\trm -rf $(TARGET_DIR)"}

  install: $(EXT)
  \tmkdir -p $(DESTDIR)$(sitearchdir)/teamweb_identity
  \tcp $(EXT) $(DESTDIR)$(sitearchdir)/teamweb_identity/$(EXT)

  clean:
  \trm -f $(EXT)

  .PHONY: all install clean
MAKE
