package org.vmm4j.testguest;

/**
 * The guest's memory ({@code mem}).
 *
 * @param memTotalKib MemTotal
 * @param memFreeKib MemFree
 * @param blockSizeBytes the memory block size (hot-plug granularity)
 * @param blocksOnline memory blocks online
 * @param blocksOffline memory blocks offline (hot-added memory stays offline by default)
 * @param autoOnline {@code auto_online_blocks}, e.g. {@code offline}
 */
public record GuestMemory(
    long memTotalKib,
    long memFreeKib,
    long blockSizeBytes,
    int blocksOnline,
    int blocksOffline,
    String autoOnline) {}
