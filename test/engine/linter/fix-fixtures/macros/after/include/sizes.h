#pragma once
#define HEADER_SIZE 65536  // from the header
