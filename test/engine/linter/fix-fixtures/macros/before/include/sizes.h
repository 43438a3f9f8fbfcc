#pragma once
#define HEADER_SIZE 20480  // from the header
