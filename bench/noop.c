/* SPDX-License-Identifier: MIT */
/* noop: the cost floor of starting and ending a static process (bench only). */
int main(void)
{
        return 0;
}
