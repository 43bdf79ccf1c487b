/*
 * The ICU converter functions that Debian's libxml2.a refers to, answering "no such converter", so that the
 * portable twlint binary does not carry a second copy of the ICU data (about 31 MB; Foundation brings its own
 * ICU, whose symbols have other names). scripts/release.sh compiles this with ICU_SUFFIX set to the version
 * suffix libxml2.a uses (_72 on Debian 12) and links it in place of -licui18n -licuuc -licudata.
 *
 * Why this is the same as a libxml2 built without ICU (libxml2 2.9.14, encoding.c, as Debian 12 ships it):
 * xmlFindCharEncodingHandler() tries its built-in handlers (UTF-8, UTF-16LE/BE, ISO-8859-1, ASCII, HTML),
 * then iconv (glibc), and only then openIcuConverter(), which calls ucnv_open() and, when that fails, frees
 * its state (calling ucnv_close() only on a converter it got) and returns NULL; the handler search then falls
 * back to canonical names and gives up ("Unsupported encoding"). No other libxml2 code calls ICU: the
 * conversion functions (ucnv_convertEx, the callbacks) are reached only through a converter that was opened,
 * so they abort if ever called. The symbol list is checked by release.sh against `nm -u libxml2.a`.
 */
#include <stddef.h>
#include <stdlib.h>

#ifndef ICU_SUFFIX
#error "compile with -DICU_SUFFIX=_NN (the ICU version suffix of libxml2.a's undefined symbols)"
#endif
#define TW_CAT2(a, b) a##b
#define TW_CAT(a, b) TW_CAT2(a, b)
#define ICU(name) TW_CAT(name, ICU_SUFFIX)

/* ICU's UErrorCode: 0 is success, > 0 a failure; U_FILE_ACCESS_ERROR (4) is what ICU answers for a
   converter name it has no data for. */
typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4

void *ICU(ucnv_open)(const char *name, UErrorCode *status) {
    (void)name;
    if (status != NULL && *status <= 0) *status = U_FILE_ACCESS_ERROR;
    return NULL;
}

/* ICU's ucnv_close(NULL) does nothing; no other converter can exist. */
void ICU(ucnv_close)(void *converter) {
    if (converter != NULL) abort();
}

void ICU(ucnv_setToUCallBack)(void) { abort(); }
void ICU(ucnv_setFromUCallBack)(void) { abort(); }
void ICU(ucnv_convertEx)(void) { abort(); }
void ICU(UCNV_TO_U_CALLBACK_STOP)(void) { abort(); }
void ICU(UCNV_FROM_U_CALLBACK_STOP)(void) { abort(); }
