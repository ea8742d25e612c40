# IMSMS_CHECK_CFLAG(FLAG, [ACTION-IF-SUPPORTED], [ACTION-IF-NOT])
# Compile an empty program with FLAG (as an error) and run the action that fits.
# Written here rather than taken from autoconf-archive so the build needs one package less.
AC_DEFUN([IMSMS_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([imsms_var], [imsms_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [imsms_var], [
    imsms_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([imsms_var], [yes])], [AS_VAR_SET([imsms_var], [no])])
    CFLAGS=$imsms_save_CFLAGS])
  AS_VAR_IF([imsms_var], [yes], [$2], [$3])
  AS_VAR_POPDEF([imsms_var])
])
