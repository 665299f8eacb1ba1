// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockERC20} from "./MockERC20.sol";

/// @notice Burns `feeBps` of every transfer: the receiver gets less than was sent.
contract FeeOnTransferToken is MockERC20 {
    uint256 public feeBps = 100;

    constructor(uint8 decimals_) MockERC20("Fee Token", "FEE", decimals_) {}

    function setFeeBps(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        uint256 fee = amount * feeBps / 10_000;
        _burn(msg.sender, fee);
        return super.transfer(to, amount - fee);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        uint256 fee = amount * feeBps / 10_000;
        _spendAllowance(from, msg.sender, fee);
        _burn(from, fee);
        return super.transferFrom(from, to, amount - fee);
    }
}
