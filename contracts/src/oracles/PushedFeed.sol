// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFeed} from "../interfaces/IFeed.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";

/// @title PushedFeed
/// @notice `IFeed` adapter whose price an authorized pusher sets: the local market simulator's source,
/// or an off-chain reporter. `updatedAt` is the block time of the push.
/// @dev Governance (owner) grants and revokes `PUSHER_ROLE` with solady's `grantRoles`/`revokeRoles`
/// (events `RolesUpdated`). The price and its time share one slot.
contract PushedFeed is IFeed, OwnableRoles {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       CUSTOM ERRORS                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The owner address is zero.
    error ZeroAddress();

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `pusher` set the price to `priceWad` at `updatedAt`.
    event Pushed(address indexed pusher, uint256 priceWad, uint256 updatedAt);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Role allowed to `push`.
    uint256 public constant PUSHER_ROLE = _ROLE_0;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Last pushed price, WAD.
    uint128 internal _price;

    /// @dev Block time of the last push.
    uint64 internal _updatedAt;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param owner_ Governance.
    /// @param pusher First account granted `PUSHER_ROLE`; zero for none.
    constructor(address owner_, address pusher) {
        if (owner_ == address(0)) revert ZeroAddress();
        _initializeOwner(owner_);
        if (pusher != address(0)) _grantRoles(pusher, PUSHER_ROLE);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IFeed
    function read() external view returns (uint256 priceWad, uint256 updatedAt) {
        priceWad = _price;
        if (priceWad == 0) revert NoPrice();
        updatedAt = _updatedAt;
    }

    /// @notice Sets the price to `priceWad`, observed now. Only `PUSHER_ROLE`. Reverts `ZeroPrice` for 0,
    /// `PriceOverflow` above `type(uint128).max`. Emits `Pushed`.
    /// @param priceWad Quote per one whole collateral token, WAD.
    function push(uint256 priceWad) external onlyRoles(PUSHER_ROLE) {
        if (priceWad == 0) revert ZeroPrice();
        if (priceWad > type(uint128).max) revert PriceOverflow(priceWad);
        // forge-lint: disable-next-line(unsafe-typecast) -- priceWad <= type(uint128).max checked above.
        _price = uint128(priceWad);
        _updatedAt = uint64(block.timestamp);
        emit Pushed(msg.sender, priceWad, block.timestamp);
    }
}
