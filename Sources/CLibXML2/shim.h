#ifndef TWLINT_CLIBXML2_SHIM_H
#define TWLINT_CLIBXML2_SHIM_H
/* xmlversion.h first, then drop ICU: Debian's ICU-enabled libxml2 headers
   otherwise pull in ICU types that clash with Foundation's. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#endif
