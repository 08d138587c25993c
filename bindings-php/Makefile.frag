# phpize's Makefile (config.m4): the extension is built by cargo, for the
# php-config configure was given, into modules/ where `make install` looks.
TEAMWEB_CARGO_TARGET_DIR ?= $(builddir)/cargo-target
TEAMWEB_LIB_SUFFIX = $(if $(filter dylib,$(SHLIB_DL_SUFFIX_NAME)),dylib,so)

modules/teamweb_identity.$(SHLIB_DL_SUFFIX_NAME):
	PHP_CONFIG="$(TEAMWEB_PHP_CONFIG)" CARGO_TARGET_DIR="$(TEAMWEB_CARGO_TARGET_DIR)" \
	  $(CARGO) build --release --locked --manifest-path "$(srcdir)/Cargo.toml"
	$(mkinstalldirs) modules
	cp "$(TEAMWEB_CARGO_TARGET_DIR)/release/libteamweb_identity_php.$(TEAMWEB_LIB_SUFFIX)" $@
