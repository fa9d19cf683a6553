// SPDX-License-Identifier: GPL-2.0
/*
 * An unmodified MPI program for the MPI-through-bpsh test (t0510): each
 * rank says where it runs, a token goes round the ring of ranks (each adds
 * its rank), and MPI_Allreduce sums the ranks.  Built on the master with
 * Debian's mpicc and run with
 *
 *   mpiexec -launcher ssh -launcher-exec bpsh -hosts n0,n1,n2 -n 3 ./ring
 *
 * Rank 0 prints the results; every rank prints its node (its host name).
 */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char host[MPI_MAX_PROCESSOR_NAME];
	int rank, size, len, token, sum;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	MPI_Get_processor_name(host, &len);
	printf("rank %d of %d on %s\n", rank, size, host);
	fflush(stdout);

	if (size > 1) {
		if (rank == 0) {
			token = 0;
			MPI_Send(&token, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
			MPI_Recv(&token, 1, MPI_INT, size - 1, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(&token, 1, MPI_INT, rank - 1, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			token += rank;
			MPI_Send(&token, 1, MPI_INT, (rank + 1) % size, 0,
				 MPI_COMM_WORLD);
		}
	} else {
		token = 0;
	}
	MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	if (rank == 0) {
		printf("ring: token %d after %d ranks\n", token, size);
		printf("allreduce: sum of ranks %d\n", sum);
	}
	MPI_Finalize();
	return 0;
}
