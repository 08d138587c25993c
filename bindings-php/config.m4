dnl The phpize build of the extension, as PIE runs it when no pre-built
dnl binary fits (phpize, ./configure --with-php-config=..., make, make
dnl install): cargo builds the extension for the php-config given, and
dnl `make install` copies it into that PHP's extension directory.
PHP_ARG_ENABLE([teamweb-identity],
  [whether to build teamweb_identity],
  [AS_HELP_STRING([--disable-teamweb-identity], [Do not build teamweb_identity])],
  [yes], [no])

if test "$PHP_TEAMWEB_IDENTITY" != "no"; then
  AC_PATH_PROG([CARGO], [cargo], [no])
  AS_IF([test "$CARGO" = "no"],
    [AC_MSG_ERROR([teamweb_identity is built with Rust: install cargo 1.85 or newer (rustup), and libclang])])
  PHP_SUBST([CARGO])
  TEAMWEB_PHP_CONFIG="$PHP_CONFIG"
  PHP_SUBST([TEAMWEB_PHP_CONFIG])
  PHP_MODULES="modules/teamweb_identity.$SHLIB_DL_SUFFIX_NAME"
  PHP_SUBST([PHP_MODULES])
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
