#pragma once
#include <dnnl.h>
